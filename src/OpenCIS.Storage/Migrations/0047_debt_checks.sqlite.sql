-- 0047 the log of city-wide debt checks: who asked, from the screen or another system's key, how (name, tax id,
-- address, parcel) and for what (a tax id only by its last four digits), and what was found.

CREATE TABLE "debt_checks" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_debt_checks" PRIMARY KEY AUTOINCREMENT,
    "checked_by" TEXT NOT NULL,
    "checked_at" TEXT NOT NULL,
    "looked_up_by" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "debtors_found" INTEGER NOT NULL,
    "owed_cents" INTEGER NOT NULL
);
CREATE INDEX "ix_debt_checks_checked_at" ON "debt_checks" ("checked_at");
