-- 0055 Calling campaigns: a list of accounts chosen by criteria and dealt to collectors, with a call script and outcome codes;
-- each account on the list, and each call made with its outcome and the promise taken on it.

CREATE TABLE "campaigns" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_campaigns" PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "minimum_days_past_due" INTEGER NOT NULL,
    "maximum_days_past_due" INTEGER NULL,
    "minimum_balance_cents" INTEGER NOT NULL,
    "maximum_balance_cents" INTEGER NULL,
    "debt" TEXT NOT NULL,
    "final_only" INTEGER NOT NULL,
    "broken_promises_only" INTEGER NOT NULL,
    "script" TEXT NOT NULL,
    "outcomes" TEXT NOT NULL,
    "collectors" TEXT NOT NULL,
    "created_on" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "closed_on" TEXT NULL,
    "closed_by" TEXT NULL
);

CREATE TABLE "campaign_targets" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_campaign_targets" PRIMARY KEY AUTOINCREMENT,
    "campaign_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "collector" TEXT NOT NULL,
    "balance_cents" INTEGER NOT NULL,
    "days_past_due" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "last_outcome" TEXT NULL,
    "last_called_at" TEXT NULL
);
CREATE INDEX "ix_campaign_targets_campaign_id_collector" ON "campaign_targets" ("campaign_id", "collector");
CREATE INDEX "ix_campaign_targets_account_id" ON "campaign_targets" ("account_id");

CREATE TABLE "campaign_calls" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_campaign_calls" PRIMARY KEY AUTOINCREMENT,
    "campaign_id" INTEGER NOT NULL,
    "target_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "contact_id" INTEGER NOT NULL,
    "collector" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "right_party" INTEGER NOT NULL,
    "promise_id" INTEGER NULL,
    "promised_cents" INTEGER NOT NULL,
    "called_at" TEXT NOT NULL
);
CREATE INDEX "ix_campaign_calls_campaign_id" ON "campaign_calls" ("campaign_id");
CREATE INDEX "ix_campaign_calls_target_id" ON "campaign_calls" ("target_id");
