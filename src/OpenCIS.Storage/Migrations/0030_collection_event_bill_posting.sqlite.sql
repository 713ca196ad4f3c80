-- 0030 a late charge decision remembers the posting of the bill it was about, so the next days' collections runs
-- know what that open item is from the account's history instead of reading the ledger again for it.

ALTER TABLE "collection_events" ADD COLUMN "bill_transaction_id" INTEGER NULL;

-- The decisions already made name their bill by its id: their bill's posting is that bill's.
UPDATE "collection_events"
SET "bill_transaction_id" = (SELECT b."financial_transaction_id" FROM "bills" b WHERE b."id" = CAST("collection_events"."bill_reference" AS INTEGER))
WHERE "action" IN ('LateCharge', 'NoLateCharge') AND "bill_reference" GLOB '[0-9]*';
