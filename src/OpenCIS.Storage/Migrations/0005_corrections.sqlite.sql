-- 0005 corrections: cancel and rebill (who canceled a bill, when, why, the reversing transaction
-- and the bill that replaced it), the kind of bill (regular, rebill, final, estimated), and
-- adjustments with reason codes that wait for a Supervisor's approval above a threshold.

ALTER TABLE "bills" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'Regular';
ALTER TABLE "bills" ADD COLUMN "replaces_bill_id" INTEGER NULL;
ALTER TABLE "bills" ADD COLUMN "canceled_at" TEXT NULL;
ALTER TABLE "bills" ADD COLUMN "canceled_by" TEXT NULL;
ALTER TABLE "bills" ADD COLUMN "cancel_reason" TEXT NULL;
ALTER TABLE "bills" ADD COLUMN "cancellation_transaction_id" INTEGER NULL;
ALTER TABLE "bills" ADD COLUMN "replaced_by_bill_id" INTEGER NULL;
ALTER TABLE "bills" ADD COLUMN "cancel_idempotency_key" TEXT NULL;
CREATE UNIQUE INDEX "ix_bills_cancel_idempotency_key" ON "bills" ("cancel_idempotency_key") WHERE cancel_idempotency_key IS NOT NULL;
CREATE INDEX "ix_bills_replaces_bill_id" ON "bills" ("replaces_bill_id") WHERE replaces_bill_id IS NOT NULL;

CREATE TABLE "account_adjustments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_account_adjustments" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "bill_id" INTEGER NULL,
    "reason_code" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "calculation" TEXT NULL,
    "status" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_at" TEXT NOT NULL,
    "decided_by" TEXT NULL,
    "decided_at" TEXT NULL,
    "decision_note" TEXT NULL,
    "financial_transaction_id" INTEGER NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NULL
);
CREATE INDEX "ix_account_adjustments_account_id" ON "account_adjustments" ("account_id");
CREATE UNIQUE INDEX "ix_account_adjustments_idempotency_key" ON "account_adjustments" ("idempotency_key");
CREATE INDEX "ix_account_adjustments_status_requested_at" ON "account_adjustments" ("status", "requested_at");
