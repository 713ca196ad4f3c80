-- 0041 budget billing (the equal payment plan): each account's enrollments, and on each bill of an account on a
-- plan its budget amount, what moved into the deferred balance, that balance after it, and whether it trued up.
-- The deferred balances themselves are GL account 1250.

CREATE TABLE "budget_plans" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_budget_plans" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "enrolled_on" TEXT NOT NULL,
    "enrolled_by" TEXT NOT NULL,
    "monthly_amount_cents" INTEGER NOT NULL,
    "true_up_month" INTEGER NOT NULL,
    "review_every_months" INTEGER NOT NULL,
    "next_review_on" TEXT NOT NULL,
    "ended_on" TEXT NULL,
    "ended_by" TEXT NULL,
    "end_reason" TEXT NULL
);

CREATE UNIQUE INDEX "ix_budget_plans_active" ON "budget_plans" ("account_id") WHERE status = 'Active';
CREATE INDEX "ix_budget_plans_account_id" ON "budget_plans" ("account_id");

ALTER TABLE "bills" ADD COLUMN "budget_amount_cents" INTEGER NULL;
ALTER TABLE "bills" ADD COLUMN "budget_deferred_cents" INTEGER NULL;
ALTER TABLE "bills" ADD COLUMN "budget_balance_cents" INTEGER NULL;
ALTER TABLE "bills" ADD COLUMN "budget_true_up" INTEGER NOT NULL DEFAULT 0;

INSERT OR IGNORE INTO "gl_accounts" ("code", "name", "fund_code", "fund_name", "department") VALUES
    ('1250', 'Budget billing deferred balances', '10', 'General', '1510');
