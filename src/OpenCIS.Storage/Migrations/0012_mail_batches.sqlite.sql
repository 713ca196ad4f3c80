-- 0012 mail payment batches keyed from the remittance scan line (a batch and its items, each item
-- linked to its payment once the batch posts), and payments returned at the counter (returned
-- checks and card charge backs), each payment at most once.

CREATE TABLE "mail_batches" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_mail_batches" PRIMARY KEY AUTOINCREMENT,
    "business_date" TEXT NOT NULL,
    "control_count" INTEGER NOT NULL,
    "control_total_cents" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "opened_at" TEXT NOT NULL,
    "opened_by" TEXT NOT NULL,
    "posted_at" TEXT NULL,
    "posted_by" TEXT NULL
);

CREATE INDEX "ix_mail_batches_status" ON "mail_batches" ("status");

CREATE TABLE "mail_batch_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_mail_batch_items" PRIMARY KEY AUTOINCREMENT,
    "mail_batch_id" INTEGER NOT NULL,
    "scan_line" TEXT NOT NULL,
    "account_id" INTEGER NOT NULL,
    "account_number" TEXT NOT NULL,
    "bill_number" INTEGER NOT NULL,
    "amount_due_cents" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "check_number" TEXT NULL,
    "keyed_at" TEXT NOT NULL,
    "keyed_by" TEXT NOT NULL,
    "payment_id" INTEGER NULL,
    CONSTRAINT "fk_mail_batch_items_mail_batches_mail_batch_id" FOREIGN KEY ("mail_batch_id") REFERENCES "mail_batches" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_mail_batch_items_mail_batch_id" ON "mail_batch_items" ("mail_batch_id");

CREATE TABLE "payment_returns" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_payment_returns" PRIMARY KEY AUTOINCREMENT,
    "payment_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "bank_reference" TEXT NULL,
    "returned_on" TEXT NOT NULL,
    "returned_at" TEXT NOT NULL,
    "returned_by" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "fee_cents" INTEGER NOT NULL,
    "reversal_transaction_id" INTEGER NOT NULL,
    "fee_transaction_id" INTEGER NULL,
    "made_cash_only" INTEGER NOT NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NOT NULL
);

CREATE UNIQUE INDEX "ix_payment_returns_payment_id" ON "payment_returns" ("payment_id");
CREATE UNIQUE INDEX "ix_payment_returns_idempotency_key" ON "payment_returns" ("idempotency_key");
CREATE INDEX "ix_payment_returns_account_id_returned_on" ON "payment_returns" ("account_id", "returned_on");
