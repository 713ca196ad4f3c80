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
