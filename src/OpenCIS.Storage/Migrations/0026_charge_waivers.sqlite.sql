-- Waivers of late charges and collection fees: a courtesy posted at once, or waiting for a Supervisor.
CREATE TABLE "charge_waivers" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_charge_waivers" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "charge_transaction_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "courtesy" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "requested_on" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_at" TEXT NOT NULL,
    "decided_by" TEXT NULL,
    "decided_at" TEXT NULL,
    "decision_note" TEXT NULL,
    "waiver_transaction_id" INTEGER NULL
);

CREATE INDEX "ix_charge_waivers_account_id" ON "charge_waivers" ("account_id");
CREATE INDEX "ix_charge_waivers_charge_transaction_id" ON "charge_waivers" ("charge_transaction_id");
CREATE INDEX "ix_charge_waivers_status" ON "charge_waivers" ("status");
