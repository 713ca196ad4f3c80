-- The open items by account now carry what the collections run reads of each (its posting, dates and what is open),
-- so a run's range reads come from the index alone.
DROP INDEX "ix_open_items_open_by_account";
CREATE INDEX "ix_open_items_open_by_account" ON "open_items" ("account_id", "financial_transaction_id", "due_on", "posted_on", "open_cents") WHERE open_cents <> 0;
