-- 0003 metering: meter make and model, meter events (history), device flags and review of reads,
-- service point state, and service orders (re-reads requested from the review queue).

ALTER TABLE "meters" ADD COLUMN "make" TEXT NOT NULL DEFAULT '';
ALTER TABLE "meters" ADD COLUMN "model" TEXT NOT NULL DEFAULT '';

ALTER TABLE "meter_reads" ADD COLUMN "flags" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "meter_reads" ADD COLUMN "reasons" TEXT NULL;
ALTER TABLE "meter_reads" ADD COLUMN "estimate_method" TEXT NULL;
ALTER TABLE "meter_reads" ADD COLUMN "reviewed_by" TEXT NULL;
ALTER TABLE "meter_reads" ADD COLUMN "reviewed_at" TEXT NULL;
ALTER TABLE "meter_reads" ADD COLUMN "imported_file_id" INTEGER NULL;
-- Reads are found by meter; only those awaiting review need an index of their own.
DROP INDEX "ix_meter_reads_service_point_id_read_on";
CREATE INDEX "ix_meter_reads_awaiting_review" ON "meter_reads" ("read_on") WHERE status IN ('Suspect', 'Rejected') AND reviewed_by IS NULL;

ALTER TABLE "service_points" ADD COLUMN "state" TEXT NOT NULL DEFAULT 'ActiveOccupied';

CREATE TABLE "meter_events" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_meter_events" PRIMARY KEY AUTOINCREMENT,
    "meter_id" INTEGER NOT NULL,
    "service_point_id" INTEGER NULL,
    "kind" TEXT NOT NULL,
    "occurred_on" TEXT NOT NULL,
    "reading" INTEGER NULL,
    "notes" TEXT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TEXT NOT NULL
);
CREATE INDEX "ix_meter_events_meter_id_occurred_on" ON "meter_events" ("meter_id", "occurred_on");
CREATE INDEX "ix_meter_events_service_point_id_occurred_on" ON "meter_events" ("service_point_id", "occurred_on");

-- Installed meters get the history they would have had: a Set event with their first read.
INSERT INTO "meter_events" ("meter_id", "service_point_id", "kind", "occurred_on", "reading", "notes", "recorded_by", "recorded_at")
SELECT m."id", m."service_point_id", 'Set', m."set_on",
       (SELECT r."reading" FROM "meter_reads" r WHERE r."meter_id" = m."id" ORDER BY r."read_on", r."id" LIMIT 1),
       'Recorded by schema migration 0003 from the meter''s set date', 'migration', strftime('%Y-%m-%d %H:%M:%S+00:00', 'now')
FROM "meters" m
WHERE m."status" = 'Installed' AND m."set_on" IS NOT NULL;

CREATE TABLE "service_orders" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_service_orders" PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "account_id" INTEGER NULL,
    "premise_id" INTEGER NULL,
    "service_point_id" INTEGER NULL,
    "meter_id" INTEGER NULL,
    "priority" INTEGER NOT NULL,
    "due_on" TEXT NOT NULL,
    "notes" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE INDEX "ix_service_orders_meter_id" ON "service_orders" ("meter_id");
CREATE INDEX "ix_service_orders_status_due_on" ON "service_orders" ("status", "due_on");

-- Meters removed during a bill's period (an exchange), with the use they measured until then.
CREATE TABLE "bill_removed_meters" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_bill_removed_meters" PRIMARY KEY AUTOINCREMENT,
    "bill_segment_id" INTEGER NOT NULL,
    "meter_serial" TEXT NOT NULL,
    "previous_reading" INTEGER NOT NULL,
    "previous_read_on" TEXT NOT NULL,
    "final_reading" INTEGER NOT NULL,
    "removed_on" TEXT NOT NULL,
    "multiplier" TEXT NOT NULL,
    CONSTRAINT "fk_bill_removed_meters_bill_segments_bill_segment_id" FOREIGN KEY ("bill_segment_id") REFERENCES "bill_segments" ("id") ON DELETE CASCADE
);
CREATE INDEX "ix_bill_removed_meters_bill_segment_id" ON "bill_removed_meters" ("bill_segment_id");

-- Meter-reading routes: each account's route within its cycle and its place on the route.
ALTER TABLE "accounts" ADD COLUMN "route_code" TEXT NULL;
ALTER TABLE "accounts" ADD COLUMN "route_sequence" INTEGER NOT NULL DEFAULT 0;
CREATE INDEX "ix_accounts_route_code_route_sequence" ON "accounts" ("route_code", "route_sequence");

-- A bill segment whose present read is an estimate says so.
ALTER TABLE "bill_segments" ADD COLUMN "present_read_estimated" INTEGER NOT NULL DEFAULT 0;
