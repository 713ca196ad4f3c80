-- 0038 what rating needs besides use, kept where a billing run finds it: dated values a tariff names (a rider's
-- monthly price, the gas's heating value), meters' interval reads summed by day and hour (time-of-use registers and
-- demand), the parcel's impervious area (stormwater), and each bill's billing demand (the ratchet of later bills).

CREATE TABLE "rate_values" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_rate_values" PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "effective_from" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TEXT NOT NULL
);

CREATE UNIQUE INDEX "ix_rate_values_name_effective_from" ON "rate_values" ("name", "effective_from");

CREATE TABLE "interval_days" (
    "meter_id" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "hours" TEXT NOT NULL,
    "peak_demand" TEXT NOT NULL,
    "peak_minute" INTEGER NOT NULL,
    "interval_minutes" INTEGER NOT NULL,
    "imported_file_id" INTEGER NULL,
    CONSTRAINT "pk_interval_days" PRIMARY KEY ("meter_id", "day")
);

ALTER TABLE "premises" ADD COLUMN "impervious_area" TEXT NULL;
ALTER TABLE "bill_segments" ADD COLUMN "billing_demand" TEXT NULL;
