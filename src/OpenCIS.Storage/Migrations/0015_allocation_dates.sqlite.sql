-- 0015 allocation dates: each application of a credit to a charge carries the business date it took
-- effect (the later of the two items' posting dates), indexed, and both items' posting dates, so aging
-- as of a past date reads only the applications made after that date and, of each, only the item that
-- was already there on it.

ALTER TABLE "item_allocations" ADD COLUMN "charge_posted_on" TEXT NOT NULL DEFAULT '0001-01-01';
ALTER TABLE "item_allocations" ADD COLUMN "credit_posted_on" TEXT NOT NULL DEFAULT '0001-01-01';
ALTER TABLE "item_allocations" ADD COLUMN "effective_on" TEXT NOT NULL DEFAULT '0001-01-01';

UPDATE "item_allocations"
SET "charge_posted_on" = (SELECT "posted_on" FROM "open_items" WHERE "id" = "item_allocations"."charge_item_id"),
    "credit_posted_on" = (SELECT "posted_on" FROM "open_items" WHERE "id" = "item_allocations"."credit_item_id");

UPDATE "item_allocations" SET "effective_on" = max("charge_posted_on", "credit_posted_on");

CREATE INDEX "ix_item_allocations_effective_on" ON "item_allocations" ("effective_on");
