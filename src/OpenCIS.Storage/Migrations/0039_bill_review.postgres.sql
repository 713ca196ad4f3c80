-- 0039 the pre-bill review: its rules by class of account, and on each bill it held the reasons, and who released it
-- and when. A held bill is a bill row with status 'Held' and no transaction until it is released.

CREATE TABLE bill_review_rules (
    account_class character varying(20) NOT NULL,
    high_percent numeric(18,6),
    high_cents bigint,
    low_percent numeric(18,6),
    low_cents bigint,
    zero_use boolean NOT NULL,
    very_large_cents bigint,
    negative boolean NOT NULL,
    first_bill boolean NOT NULL,
    updated_by character varying(100) NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_bill_review_rules PRIMARY KEY (account_class)
);

ALTER TABLE bills ADD COLUMN hold_reasons character varying(2000);
ALTER TABLE bills ADD COLUMN released_at timestamp with time zone;
ALTER TABLE bills ADD COLUMN released_by character varying(100);
CREATE INDEX ix_bills_held ON bills (account_id) WHERE status = 'Held';
