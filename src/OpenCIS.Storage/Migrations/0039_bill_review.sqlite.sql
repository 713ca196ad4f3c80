-- 0039 the pre-bill review: its rules by class of account, and on each bill it held the reasons, and who released it
-- and when. A held bill is a bill row with status 'Held' and no transaction until it is released.

CREATE TABLE "bill_review_rules" (
    "account_class" TEXT NOT NULL CONSTRAINT "pk_bill_review_rules" PRIMARY KEY,
    "high_percent" TEXT NULL,
    "high_cents" INTEGER NULL,
    "low_percent" TEXT NULL,
    "low_cents" INTEGER NULL,
    "zero_use" INTEGER NOT NULL,
    "very_large_cents" INTEGER NULL,
    "negative" INTEGER NOT NULL,
    "first_bill" INTEGER NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

ALTER TABLE "bills" ADD COLUMN "hold_reasons" TEXT NULL;
ALTER TABLE "bills" ADD COLUMN "released_at" TEXT NULL;
ALTER TABLE "bills" ADD COLUMN "released_by" TEXT NULL;
CREATE INDEX "ix_bills_held" ON "bills" ("account_id") WHERE status = 'Held';
