-- 0044 a service agreement's counted units may be fractional (54.45 equivalent residential units, 2.5 dwelling units):
-- units becomes a decimal. SQLite changes no column's type in place, so the table is built again with its rows and
-- indexes; no foreign key refers to it.

CREATE TABLE "service_agreements_0044" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_service_agreements" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "service_point_id" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "rate_schedule_code" TEXT NOT NULL,
    "started_on" TEXT NOT NULL,
    "ended_on" TEXT NULL,
    "units" TEXT NOT NULL,
    "usage_from_service" TEXT NULL,
    "attributes" TEXT NULL
);

INSERT INTO "service_agreements_0044" ("id", "account_id", "service_point_id", "service", "rate_schedule_code", "started_on", "ended_on", "units", "usage_from_service", "attributes")
SELECT "id", "account_id", "service_point_id", "service", "rate_schedule_code", "started_on", "ended_on", CAST("units" AS TEXT), "usage_from_service", "attributes"
FROM "service_agreements";

DROP TABLE "service_agreements";
ALTER TABLE "service_agreements_0044" RENAME TO "service_agreements";
CREATE INDEX "ix_service_agreements_account_id" ON "service_agreements" ("account_id");
CREATE INDEX "ix_service_agreements_service_point_id" ON "service_agreements" ("service_point_id");
