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
