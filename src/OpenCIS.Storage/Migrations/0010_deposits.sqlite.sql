-- 0010 customer deposits: each deposit decision for an account (standard, increased or waived, and why),
-- the charge that billed it, when it was paid (held), and how it closed (applied to the final bill or
-- refunded after the months of on-time payment) with its interest; and one refund review per business date.

CREATE TABLE "deposits" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_deposits" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "decision_kind" TEXT NOT NULL,
    "standard_cents" INTEGER NOT NULL,
    "billed_cents" INTEGER NOT NULL,
    "decision_reason" TEXT NOT NULL,
    "charge_transaction_id" INTEGER NULL,
    "decided_on" TEXT NOT NULL,
    "due_on" TEXT NULL,
    "held_since" TEXT NULL,
    "closed_on" TEXT NULL,
    "closed_by" TEXT NULL,
    "close_reason" TEXT NULL,
    "closing_transaction_id" INTEGER NULL,
    "interest_cents" INTEGER NOT NULL,
    "interest_transaction_id" INTEGER NULL,
    "requested_by" TEXT NOT NULL,
    "requested_at" TEXT NOT NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NULL,
    "close_idempotency_key" TEXT NULL,
    "close_fingerprint" TEXT NULL
);
CREATE INDEX "ix_deposits_account_id" ON "deposits" ("account_id");
CREATE INDEX "ix_deposits_status" ON "deposits" ("status");
CREATE UNIQUE INDEX "ix_deposits_idempotency_key" ON "deposits" ("idempotency_key");
CREATE UNIQUE INDEX "ix_deposits_close_idempotency_key" ON "deposits" ("close_idempotency_key");

CREATE TABLE "deposit_refund_reviews" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_deposit_refund_reviews" PRIMARY KEY AUTOINCREMENT,
    "review_date" TEXT NOT NULL,
    "ran_at" TEXT NOT NULL,
    "ran_by" TEXT NOT NULL,
    "reviewed" INTEGER NOT NULL,
    "became_held" INTEGER NOT NULL,
    "refunded" INTEGER NOT NULL,
    "refunded_cents" INTEGER NOT NULL,
    "interest_cents" INTEGER NOT NULL,
    "idempotency_key" TEXT NULL
);
CREATE UNIQUE INDEX "ix_deposit_refund_reviews_review_date" ON "deposit_refund_reviews" ("review_date");
CREATE UNIQUE INDEX "ix_deposit_refund_reviews_idempotency_key" ON "deposit_refund_reviews" ("idempotency_key");
