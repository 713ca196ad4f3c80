-- 0011 receivables: refunds of credit balances (requested, then approved or rejected by another
-- Supervisor; approved ones form the refund register), balance transfers between a customer's
-- accounts, and write-offs with their reversal. The money itself moves only through
-- financial_transactions; these rows record the request, the decision and the links.

CREATE TABLE "refunds" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_refunds" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "method" TEXT NOT NULL,
    "payee_name" TEXT NOT NULL,
    "mailing_line1" TEXT NULL,
    "mailing_city" TEXT NULL,
    "mailing_state" TEXT NULL,
    "mailing_zip" TEXT NULL,
    "ach_enrollment_id" INTEGER NULL,
    "note" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_at" TEXT NOT NULL,
    "decided_by" TEXT NULL,
    "decided_at" TEXT NULL,
    "decided_on" TEXT NULL,
    "decision_note" TEXT NULL,
    "financial_transaction_id" INTEGER NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NULL,
    "decision_idempotency_key" TEXT NULL
);
CREATE INDEX "ix_refunds_account_id" ON "refunds" ("account_id");
CREATE UNIQUE INDEX "ix_refunds_idempotency_key" ON "refunds" ("idempotency_key");
CREATE UNIQUE INDEX "ix_refunds_decision_idempotency_key" ON "refunds" ("decision_idempotency_key");
CREATE INDEX "ix_refunds_status_decided_on" ON "refunds" ("status", "decided_on");

CREATE TABLE "balance_transfers" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_balance_transfers" PRIMARY KEY AUTOINCREMENT,
    "from_account_id" INTEGER NOT NULL,
    "to_account_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "out_transaction_id" INTEGER NOT NULL,
    "in_transaction_id" INTEGER NOT NULL,
    "transferred_by" TEXT NOT NULL,
    "transferred_at" TEXT NOT NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NULL
);
CREATE INDEX "ix_balance_transfers_from_account_id" ON "balance_transfers" ("from_account_id");
CREATE INDEX "ix_balance_transfers_to_account_id" ON "balance_transfers" ("to_account_id");
CREATE UNIQUE INDEX "ix_balance_transfers_idempotency_key" ON "balance_transfers" ("idempotency_key");

CREATE TABLE "write_offs" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_write_offs" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "reason_code" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "financial_transaction_id" INTEGER NOT NULL,
    "written_off_by" TEXT NOT NULL,
    "written_off_at" TEXT NOT NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NULL,
    "reversal_transaction_id" INTEGER NULL,
    "reversed_by" TEXT NULL,
    "reversed_at" TEXT NULL,
    "reversal_reason" TEXT NULL,
    "reversal_idempotency_key" TEXT NULL
);
CREATE INDEX "ix_write_offs_account_id" ON "write_offs" ("account_id");
CREATE UNIQUE INDEX "ix_write_offs_idempotency_key" ON "write_offs" ("idempotency_key");
CREATE UNIQUE INDEX "ix_write_offs_reversal_idempotency_key" ON "write_offs" ("reversal_idempotency_key");
