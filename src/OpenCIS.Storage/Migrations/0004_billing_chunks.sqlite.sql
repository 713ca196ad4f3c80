-- 0004 billing: a run's accounts in chunks that workers claim and bill, each in one transaction.

CREATE TABLE "billing_run_chunks" (
    "billing_run_id" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "first_account_id" INTEGER NOT NULL,
    "last_account_id" INTEGER NOT NULL,
    "account_count" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "bills_created" INTEGER NOT NULL,
    "exception_count" INTEGER NOT NULL,
    "billed_cents" INTEGER NOT NULL,
    "completed_at" TEXT NULL,
    "worker" TEXT NULL,
    CONSTRAINT "pk_billing_run_chunks" PRIMARY KEY ("billing_run_id", "sequence")
);

-- The ledger looks up an account's open items only: index just those (most items are settled).
DROP INDEX "ix_open_items_account_id_open_cents";
CREATE INDEX "ix_open_items_open_by_account" ON "open_items" ("account_id") WHERE open_cents <> 0;
