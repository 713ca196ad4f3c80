-- 0006 cycle schedules: how many business days after the read a cycle's bills go out, the named
-- holiday calendar its dates keep, and the utility's own dated holidays added to a calendar.

ALTER TABLE billing_cycles ADD COLUMN bill_days_after_read integer NOT NULL DEFAULT 1;
ALTER TABLE billing_cycles ADD COLUMN holiday_calendar text NOT NULL DEFAULT 'US-Federal';

CREATE TABLE holidays (
    calendar text NOT NULL,
    date date NOT NULL,
    name text NOT NULL,
    CONSTRAINT pk_holidays PRIMARY KEY (calendar, date)
);
