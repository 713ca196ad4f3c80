-- 0048 holds on a party or a parcel, which the city's permit and licensing systems ask for before they issue: the
-- reason, who placed it, until when, whether it releases itself once the debt is paid, and its release.

CREATE TABLE "holds" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_holds" PRIMARY KEY AUTOINCREMENT,
    "customer_id" INTEGER NULL,
    "parcel_id" TEXT NULL,
    "reason" TEXT NOT NULL,
    "placed_on" TEXT NOT NULL,
    "ends_on" TEXT NULL,
    "release_when_paid" INTEGER NOT NULL,
    "placed_by" TEXT NOT NULL,
    "placed_at" TEXT NOT NULL,
    "released_at" TEXT NULL,
    "released_by" TEXT NULL,
    "release_note" TEXT NULL
);
CREATE INDEX "ix_holds_customer_id" ON "holds" ("customer_id");
CREATE INDEX "ix_holds_parcel_id" ON "holds" ("parcel_id");
