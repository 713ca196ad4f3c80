-- 0054 Liens: an owner-responsible balance noticed to the owner of record, filed against the parcel with its fee, paid,
-- satisfied and released; the charges each lien secures; and the yearly certifications of unpaid liens to the county tax roll.
-- Filing fees are revenue of their own (4940).

INSERT OR IGNORE INTO "gl_accounts" ("code", "name", "fund_code", "fund_name", "department") VALUES
    ('4940', 'Lien filing fees', '40', 'Water utility', '4010');

CREATE TABLE "liens" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_liens" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "premise_id" INTEGER NOT NULL,
    "parcel_id" TEXT NOT NULL,
    "owner_of_record" TEXT NOT NULL,
    "owner_address" TEXT NOT NULL,
    "premise_address" TEXT NOT NULL,
    "policy_code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "principal_cents" INTEGER NOT NULL,
    "noticed_on" TEXT NOT NULL,
    "notice_ends_on" TEXT NOT NULL,
    "noticed_by" TEXT NOT NULL,
    "filed_on" TEXT NULL,
    "filed_by" TEXT NULL,
    "filed_principal_cents" INTEGER NULL,
    "filing_fee_cents" INTEGER NOT NULL,
    "fee_transaction_id" INTEGER NULL,
    "satisfied_on" TEXT NULL,
    "released_on" TEXT NULL,
    "released_by" TEXT NULL,
    "release_reason" TEXT NULL,
    "certification_id" INTEGER NULL,
    "certified_cents" INTEGER NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_liens_account_id" ON "liens" ("account_id");
CREATE INDEX "ix_liens_parcel_id" ON "liens" ("parcel_id");
CREATE INDEX "ix_liens_status" ON "liens" ("status");

CREATE TABLE "lien_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_lien_items" PRIMARY KEY AUTOINCREMENT,
    "lien_id" INTEGER NOT NULL,
    "open_item_id" INTEGER NOT NULL,
    "posted_on" TEXT NOT NULL,
    "due_on" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "is_fee" INTEGER NOT NULL
);
CREATE INDEX "ix_lien_items_lien_id" ON "lien_items" ("lien_id");

CREATE TABLE "lien_certifications" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_lien_certifications" PRIMARY KEY AUTOINCREMENT,
    "tax_year" INTEGER NOT NULL,
    "certified_on" TEXT NOT NULL,
    "liens" INTEGER NOT NULL,
    "total_cents" INTEGER NOT NULL,
    "content" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_lien_certifications_tax_year" ON "lien_certifications" ("tax_year");
