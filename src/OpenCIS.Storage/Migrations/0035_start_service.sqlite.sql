-- 0035 start service: a customer's date of birth, the identity document checked and a keyed hash of the identity
-- number (duplicate detection compares these); how an account's bills are delivered and whether it is an owner's
-- revert account; landlord agreements by premise; and every letter the utility sends, kept on the account.

ALTER TABLE "customers" ADD COLUMN "identity_hash" TEXT NULL;
ALTER TABLE "customers" ADD COLUMN "birth_date" TEXT NULL;
ALTER TABLE "customers" ADD COLUMN "identity_document" TEXT NULL;
CREATE INDEX "ix_customers_identity_hash" ON "customers" ("identity_hash");
CREATE INDEX "ix_customers_birth_date" ON "customers" ("birth_date");

ALTER TABLE "accounts" ADD COLUMN "bill_delivery" TEXT NOT NULL DEFAULT 'Paper';
ALTER TABLE "accounts" ADD COLUMN "owner_revert" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "landlord_agreements" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_landlord_agreements" PRIMARY KEY AUTOINCREMENT,
    "premise_id" INTEGER NOT NULL,
    "owner_customer_id" INTEGER NOT NULL,
    "started_on" TEXT NOT NULL,
    "ended_on" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_landlord_agreements_premise_id" ON "landlord_agreements" ("premise_id");
CREATE INDEX "ix_landlord_agreements_owner_customer_id" ON "landlord_agreements" ("owner_customer_id");

CREATE TABLE "letters" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_letters" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "recipient_name" TEXT NOT NULL,
    "recipient_address" TEXT NOT NULL,
    "delivery" TEXT NOT NULL,
    "email_address" TEXT NULL,
    "text" TEXT NOT NULL,
    "template_id" INTEGER NOT NULL,
    "template_version" INTEGER NOT NULL,
    "letter_date" TEXT NOT NULL,
    "sent_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_letters_dedupe_key" ON "letters" ("dedupe_key");
CREATE INDEX "ix_letters_account_id" ON "letters" ("account_id");
