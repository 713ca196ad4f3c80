-- 0016 ACH refunds: an approved refund by ACH goes out as a PPD credit in the next ACH file (the entry
-- names the refund; a refund goes out once), the refund records when it was sent and its RefundPaid
-- transaction, and when the customer's bank returned it.

ALTER TABLE "ach_entries" ADD COLUMN "refund_id" INTEGER NULL;
CREATE UNIQUE INDEX "ix_ach_entries_refund_id" ON "ach_entries" ("refund_id") WHERE refund_id IS NOT NULL;

ALTER TABLE "refunds" ADD COLUMN "sent_on" TEXT NULL;
ALTER TABLE "refunds" ADD COLUMN "paid_transaction_id" INTEGER NULL;
ALTER TABLE "refunds" ADD COLUMN "returned_on" TEXT NULL;
