-- 0019 idempotency keys by user: an Idempotency-Key is its sender's own. Each unique index over a row's key
-- now leads with the column naming who sent the request, so another user's request under the same key is a
-- request of its own instead of being answered with the first user's result; the API's stored answers
-- (idempotent_requests) are kept by user and key the same way.

DROP INDEX "ix_payments_idempotency_key";
CREATE UNIQUE INDEX "ix_payments_cashier_idempotency_key" ON "payments" ("cashier", "idempotency_key");
DROP INDEX "ix_bills_cancel_idempotency_key";
CREATE UNIQUE INDEX "ix_bills_canceled_by_cancel_idempotency_key" ON "bills" ("canceled_by", "cancel_idempotency_key") WHERE cancel_idempotency_key IS NOT NULL;
DROP INDEX "ix_account_adjustments_idempotency_key";
CREATE UNIQUE INDEX "ix_account_adjustments_requested_by_idempotency_key" ON "account_adjustments" ("requested_by", "idempotency_key");
DROP INDEX "ix_deposits_idempotency_key";
CREATE UNIQUE INDEX "ix_deposits_requested_by_idempotency_key" ON "deposits" ("requested_by", "idempotency_key");
DROP INDEX "ix_deposits_close_idempotency_key";
CREATE UNIQUE INDEX "ix_deposits_closed_by_close_idempotency_key" ON "deposits" ("closed_by", "close_idempotency_key");
DROP INDEX "ix_deposit_refund_reviews_idempotency_key";
CREATE UNIQUE INDEX "ix_deposit_refund_reviews_ran_by_idempotency_key" ON "deposit_refund_reviews" ("ran_by", "idempotency_key");
DROP INDEX "ix_refunds_idempotency_key";
CREATE UNIQUE INDEX "ix_refunds_requested_by_idempotency_key" ON "refunds" ("requested_by", "idempotency_key");
DROP INDEX "ix_refunds_decision_idempotency_key";
CREATE UNIQUE INDEX "ix_refunds_decided_by_decision_idempotency_key" ON "refunds" ("decided_by", "decision_idempotency_key");
DROP INDEX "ix_balance_transfers_idempotency_key";
CREATE UNIQUE INDEX "ix_balance_transfers_transferred_by_idempotency_key" ON "balance_transfers" ("transferred_by", "idempotency_key");
DROP INDEX "ix_write_offs_idempotency_key";
CREATE UNIQUE INDEX "ix_write_offs_written_off_by_idempotency_key" ON "write_offs" ("written_off_by", "idempotency_key");
DROP INDEX "ix_write_offs_reversal_idempotency_key";
CREATE UNIQUE INDEX "ix_write_offs_reversed_by_reversal_idempotency_key" ON "write_offs" ("reversed_by", "reversal_idempotency_key");
DROP INDEX "ix_payment_returns_idempotency_key";
CREATE UNIQUE INDEX "ix_payment_returns_returned_by_idempotency_key" ON "payment_returns" ("returned_by", "idempotency_key");

-- SQLite cannot change a primary key in place: the table is built again with the new key and its rows copied.
CREATE TABLE "idempotent_requests_by_user" (
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "user_name" TEXT NOT NULL,
    "status_code" INTEGER NOT NULL,
    "response_body" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    CONSTRAINT "pk_idempotent_requests" PRIMARY KEY ("user_name", "key")
);
INSERT INTO "idempotent_requests_by_user" ("key", "fingerprint", "method", "path", "user_name", "status_code", "response_body", "created_at")
SELECT "key", "fingerprint", "method", "path", "user_name", "status_code", "response_body", "created_at" FROM "idempotent_requests";
DROP TABLE "idempotent_requests";
ALTER TABLE "idempotent_requests_by_user" RENAME TO "idempotent_requests";
