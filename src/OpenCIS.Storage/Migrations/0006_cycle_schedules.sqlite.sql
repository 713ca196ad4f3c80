-- 0006 cycle schedules: how many business days after the read a cycle's bills go out, the named
-- holiday calendar its dates keep, and the utility's own dated holidays added to a calendar.

ALTER TABLE "billing_cycles" ADD COLUMN "bill_days_after_read" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "billing_cycles" ADD COLUMN "holiday_calendar" TEXT NOT NULL DEFAULT 'US-Federal';

CREATE TABLE "holidays" (
    "calendar" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "pk_holidays" PRIMARY KEY ("calendar", "date")
);
