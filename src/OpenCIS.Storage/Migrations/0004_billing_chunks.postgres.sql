-- 0004 billing: a run's accounts in chunks that workers claim and bill, each in one transaction.

CREATE TABLE billing_run_chunks (
    billing_run_id bigint NOT NULL,
    sequence integer NOT NULL,
    first_account_id bigint NOT NULL,
    last_account_id bigint NOT NULL,
    account_count integer NOT NULL,
    status character varying(20) NOT NULL,
    bills_created integer NOT NULL,
    exception_count integer NOT NULL,
    billed_cents bigint NOT NULL,
    completed_at timestamp with time zone,
    worker text,
    CONSTRAINT pk_billing_run_chunks PRIMARY KEY (billing_run_id, sequence)
);

-- The ledger looks up an account's open items only: index just those (most items are settled).
DROP INDEX ix_open_items_account_id_open_cents;
CREATE INDEX ix_open_items_open_by_account ON open_items (account_id) WHERE open_cents <> 0;

-- Billing and payment batches write these rows in bulk, each child in the same transaction as its
-- parent, with ids the writer reserved for both. PostgreSQL checks a foreign key row by row and
-- locks the parent row for each child (a multixact write per GL line), which cost more than the
-- insert itself; the writers and the tests keep the references whole instead (see README).
ALTER TABLE gl_entries DROP CONSTRAINT fk_gl_entries_financial_transactions_financial_transaction_id;
ALTER TABLE open_items DROP CONSTRAINT fk_open_items_financial_transactions_financial_transaction_id;
ALTER TABLE bills DROP CONSTRAINT fk_bills_financial_transactions_financial_transaction_id;
ALTER TABLE bill_segments DROP CONSTRAINT fk_bill_segments_bills_bill_id;
ALTER TABLE bill_lines DROP CONSTRAINT fk_bill_lines_bill_segments_bill_segment_id;
ALTER TABLE bill_removed_meters DROP CONSTRAINT fk_bill_removed_meters_bill_segments_bill_segment_id;
ALTER TABLE item_allocations DROP CONSTRAINT fk_item_allocations_open_items_charge_item_id;
ALTER TABLE item_allocations DROP CONSTRAINT fk_item_allocations_open_items_credit_item_id;
ALTER TABLE payments DROP CONSTRAINT fk_payments_financial_transactions_financial_transaction_id;
