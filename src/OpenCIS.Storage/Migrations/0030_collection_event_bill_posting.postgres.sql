-- 0030 a late charge decision remembers the posting of the bill it was about, so the next days' collections runs
-- know what that open item is from the account's history instead of reading the ledger again for it.

ALTER TABLE collection_events ADD COLUMN bill_transaction_id bigint;

-- The decisions already made name their bill by its id: their bill's posting is that bill's.
UPDATE collection_events e
SET bill_transaction_id = b.financial_transaction_id
FROM bills b
WHERE e.action IN ('LateCharge', 'NoLateCharge') AND e.bill_reference ~ '^[0-9]+$'
  AND b.id = CASE WHEN e.bill_reference ~ '^[0-9]+$' THEN e.bill_reference::bigint END;
