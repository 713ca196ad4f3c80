-- 0052 Bankruptcy: cases (chapter, court, petition date, debtor, attorney, trustee, outcome), the accounts each covers
-- with their pre-petition balance and stay, the claim by service, and the trustee's payments with the accounts they paid.
-- The pre-petition balances sit in their own receivable account, 1260.

INSERT OR IGNORE INTO "gl_accounts" ("code", "name", "fund_code", "fund_name", "department") VALUES
    ('1260', 'Bankruptcy receivable - pre-petition claims', '10', 'General', '1510');

CREATE TABLE "bankruptcy_cases" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_bankruptcy_cases" PRIMARY KEY AUTOINCREMENT,
    "case_number" TEXT NOT NULL,
    "chapter" TEXT NOT NULL,
    "court" TEXT NOT NULL,
    "petition_date" TEXT NOT NULL,
    "debtor_name" TEXT NOT NULL,
    "attorney" TEXT NOT NULL,
    "trustee" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "filed_by" TEXT NOT NULL,
    "filed_at" TEXT NOT NULL,
    "closed_on" TEXT NULL,
    "closed_by" TEXT NULL,
    "close_note" TEXT NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NULL
);
CREATE UNIQUE INDEX "ix_bankruptcy_cases_case_number" ON "bankruptcy_cases" ("case_number");
CREATE INDEX "ix_bankruptcy_cases_status" ON "bankruptcy_cases" ("status");
CREATE UNIQUE INDEX "ix_bankruptcy_cases_filed_by_idempotency_key" ON "bankruptcy_cases" ("filed_by", "idempotency_key");

CREATE TABLE "bankruptcy_accounts" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_bankruptcy_accounts" PRIMARY KEY AUTOINCREMENT,
    "case_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "pre_petition_cents" INTEGER NOT NULL,
    "transfer_transaction_id" INTEGER NULL,
    "protection_id" INTEGER NOT NULL,
    "closing_transaction_id" INTEGER NULL
);
CREATE UNIQUE INDEX "ix_bankruptcy_accounts_case_id_account_id" ON "bankruptcy_accounts" ("case_id", "account_id");
CREATE INDEX "ix_bankruptcy_accounts_account_id" ON "bankruptcy_accounts" ("account_id");

CREATE TABLE "bankruptcy_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_bankruptcy_claims" PRIMARY KEY AUTOINCREMENT,
    "case_id" INTEGER NOT NULL,
    "case_account_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "service" TEXT NULL,
    "due_on" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "open_cents" INTEGER NOT NULL
);
CREATE INDEX "ix_bankruptcy_claims_case_id" ON "bankruptcy_claims" ("case_id");

CREATE TABLE "bankruptcy_payments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_bankruptcy_payments" PRIMARY KEY AUTOINCREMENT,
    "case_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "received_on" TEXT NOT NULL,
    "tender" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "posted_by" TEXT NOT NULL,
    "posted_at" TEXT NOT NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NULL
);
CREATE INDEX "ix_bankruptcy_payments_case_id" ON "bankruptcy_payments" ("case_id");
CREATE INDEX "ix_bankruptcy_payments_received_on" ON "bankruptcy_payments" ("received_on");
CREATE UNIQUE INDEX "ix_bankruptcy_payments_posted_by_idempotency_key" ON "bankruptcy_payments" ("posted_by", "idempotency_key");

CREATE TABLE "bankruptcy_payment_lines" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_bankruptcy_payment_lines" PRIMARY KEY AUTOINCREMENT,
    "payment_id" INTEGER NOT NULL,
    "case_account_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "transaction_id" INTEGER NOT NULL
);
CREATE INDEX "ix_bankruptcy_payment_lines_payment_id" ON "bankruptcy_payment_lines" ("payment_id");
