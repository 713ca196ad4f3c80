-- 0053 Final-bill pursuit: the collection agencies and legal office final balances are referred to, each referral and where
-- it stands, the placement files sent to agencies, and the agencies' payment files with each debtor payment and its commission.
-- Commissions are an expense (5200); a gross-remitting agency's commission is owed to it until paid (2310).

INSERT OR IGNORE INTO "gl_accounts" ("code", "name", "fund_code", "fund_name", "department") VALUES
    ('5200', 'Collection agency commissions', '10', 'General', '1510'),
    ('2310', 'Collection agency commissions payable', '10', 'General', '1510');

CREATE TABLE "collection_agencies" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_collection_agencies" PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "commission_basis_points" INTEGER NOT NULL,
    "remittance" TEXT NOT NULL,
    "contact" TEXT NOT NULL,
    "active" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_collection_agencies_code" ON "collection_agencies" ("code");

CREATE TABLE "referrals" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_referrals" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "agency_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "referred_on" TEXT NOT NULL,
    "referred_cents" INTEGER NOT NULL,
    "referred_by" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "closed_on" TEXT NULL,
    "closed_by" TEXT NULL,
    "close_reason" TEXT NULL,
    "placement_file_id" INTEGER NULL,
    "recall_file_id" INTEGER NULL,
    "collected_cents" INTEGER NOT NULL,
    "commission_cents" INTEGER NOT NULL
);
CREATE INDEX "ix_referrals_account_id" ON "referrals" ("account_id");
CREATE INDEX "ix_referrals_agency_id_status" ON "referrals" ("agency_id", "status");

CREATE TABLE "placement_files" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_placement_files" PRIMARY KEY AUTOINCREMENT,
    "agency_id" INTEGER NOT NULL,
    "created_on" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "placements" INTEGER NOT NULL,
    "recalls" INTEGER NOT NULL,
    "placed_cents" INTEGER NOT NULL,
    "content" TEXT NOT NULL
);
CREATE INDEX "ix_placement_files_agency_id" ON "placement_files" ("agency_id");

CREATE TABLE "agency_remittances" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_agency_remittances" PRIMARY KEY AUTOINCREMENT,
    "agency_id" INTEGER NOT NULL,
    "file_name" TEXT NOT NULL,
    "file_hash" TEXT NOT NULL,
    "lines" INTEGER NOT NULL,
    "collected_cents" INTEGER NOT NULL,
    "commission_cents" INTEGER NOT NULL,
    "remitted_cents" INTEGER NOT NULL,
    "recovered_cents" INTEGER NOT NULL,
    "imported_by" TEXT NOT NULL,
    "imported_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_agency_remittances_file_hash" ON "agency_remittances" ("file_hash");

CREATE TABLE "agency_payments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_agency_payments" PRIMARY KEY AUTOINCREMENT,
    "remittance_id" INTEGER NOT NULL,
    "line" INTEGER NOT NULL,
    "referral_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "paid_on" TEXT NOT NULL,
    "collected_cents" INTEGER NOT NULL,
    "commission_cents" INTEGER NOT NULL,
    "recovered_cents" INTEGER NOT NULL,
    "payment_id" INTEGER NOT NULL,
    "commission_transaction_id" INTEGER NULL
);
CREATE INDEX "ix_agency_payments_remittance_id" ON "agency_payments" ("remittance_id");
CREATE INDEX "ix_agency_payments_referral_id" ON "agency_payments" ("referral_id");

CREATE TABLE "pursuit_standings" (
    "account_id" INTEGER NOT NULL CONSTRAINT "pk_pursuit_standings" PRIMARY KEY,
    "policy_code" TEXT NOT NULL,
    "decided_on" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "balance_cents" INTEGER NOT NULL,
    "days_past_due" INTEGER NOT NULL
);
CREATE INDEX "ix_pursuit_standings_action" ON "pursuit_standings" ("action");
