-- 0051 EMS receivables: each invoice type's allowance account (payers' contractual adjustments and hardship waivers),
-- payers' remittances on invoices, hardship waivers awaiting a Supervisor, and the patient statements of a statement cycle.

ALTER TABLE "invoice_types" ADD COLUMN "allowance_gl_account" TEXT NULL;

CREATE TABLE "invoice_remittances" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_invoice_remittances" PRIMARY KEY AUTOINCREMENT,
    "invoice_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "payer_kind" TEXT NOT NULL,
    "payer_name" TEXT NOT NULL,
    "claim_number" TEXT NOT NULL,
    "paid_cents" INTEGER NOT NULL,
    "adjustment_cents" INTEGER NOT NULL,
    "patient_responsibility_cents" INTEGER NOT NULL,
    "payment_id" INTEGER NULL,
    "adjustment_transaction_id" INTEGER NULL,
    "received_on" TEXT NOT NULL,
    "posted_by" TEXT NOT NULL,
    "posted_at" TEXT NOT NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NULL
);
CREATE INDEX "ix_invoice_remittances_invoice_id" ON "invoice_remittances" ("invoice_id");
CREATE UNIQUE INDEX "ix_invoice_remittances_posted_by_idempotency_key" ON "invoice_remittances" ("posted_by", "idempotency_key");

CREATE TABLE "invoice_waivers" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_invoice_waivers" PRIMARY KEY AUTOINCREMENT,
    "invoice_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_at" TEXT NOT NULL,
    "decided_by" TEXT NULL,
    "decided_at" TEXT NULL,
    "decision_note" TEXT NULL,
    "posted_cents" INTEGER NULL,
    "financial_transaction_id" INTEGER NULL
);
CREATE INDEX "ix_invoice_waivers_invoice_id" ON "invoice_waivers" ("invoice_id");
CREATE INDEX "ix_invoice_waivers_status" ON "invoice_waivers" ("status");

CREATE TABLE "invoice_statements" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_invoice_statements" PRIMARY KEY AUTOINCREMENT,
    "invoice_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "statement_date" TEXT NOT NULL,
    "open_cents" INTEGER NOT NULL,
    "pay_by" TEXT NOT NULL,
    "delivery" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_invoice_statements_invoice_id_sequence" ON "invoice_statements" ("invoice_id", "sequence");
CREATE INDEX "ix_invoice_statements_statement_date" ON "invoice_statements" ("statement_date");
