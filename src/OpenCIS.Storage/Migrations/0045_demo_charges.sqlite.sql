-- 0045 what every kind of charge needs in a run. A meter's reactive energy (kvarh) days are kept beside its real energy
-- days (the power factor of a demand charge), so an interval day is one row per meter, day and unit. SQLite changes no
-- primary key in place, so the table is built again with its rows; no foreign key refers to it.

CREATE TABLE "interval_days_0045" (
    "meter_id" INTEGER NOT NULL,
    "day" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "hours" TEXT NOT NULL,
    "peak_demand" TEXT NOT NULL,
    "peak_minute" INTEGER NOT NULL,
    "interval_minutes" INTEGER NOT NULL,
    "imported_file_id" INTEGER NULL,
    CONSTRAINT "pk_interval_days" PRIMARY KEY ("meter_id", "day", "unit")
);

INSERT INTO "interval_days_0045" ("meter_id", "day", "unit", "hours", "peak_demand", "peak_minute", "interval_minutes", "imported_file_id")
SELECT "meter_id", "day", "unit", "hours", "peak_demand", "peak_minute", "interval_minutes", "imported_file_id"
FROM "interval_days";

DROP TABLE "interval_days";
ALTER TABLE "interval_days_0045" RENAME TO "interval_days";

-- Gas: its sales and late charges, in the general fund like electric, kept by the gas department (1540).
INSERT OR IGNORE INTO "gl_accounts" ("code", "name", "fund_code", "fund_name", "department") VALUES
    ('4600', 'Gas sales', '10', 'General', '1540'),
    ('4650', 'Gas late charges', '10', 'General', '1540');
