-- 0025 service order work: the shared order lifecycle. An order is dispatched to a field worker, completed
-- with a result (the read taken, an amount paid at the door, a note) or canceled with a reason; the fee it
-- posted is linked so it never posts twice; each change is kept in service_order_changes.

ALTER TABLE "service_orders" ADD COLUMN "assigned_to" TEXT NULL;
ALTER TABLE "service_orders" ADD COLUMN "dispatched_at" TEXT NULL;
ALTER TABLE "service_orders" ADD COLUMN "result" TEXT NULL;
ALTER TABLE "service_orders" ADD COLUMN "completed_on" TEXT NULL;
ALTER TABLE "service_orders" ADD COLUMN "completed_at" TEXT NULL;
ALTER TABLE "service_orders" ADD COLUMN "completed_by" TEXT NULL;
ALTER TABLE "service_orders" ADD COLUMN "reading" INTEGER NULL;
ALTER TABLE "service_orders" ADD COLUMN "amount_collected_cents" INTEGER NULL;
ALTER TABLE "service_orders" ADD COLUMN "completion_note" TEXT NULL;
ALTER TABLE "service_orders" ADD COLUMN "canceled_at" TEXT NULL;
ALTER TABLE "service_orders" ADD COLUMN "canceled_by" TEXT NULL;
ALTER TABLE "service_orders" ADD COLUMN "cancel_reason" TEXT NULL;
ALTER TABLE "service_orders" ADD COLUMN "fee_transaction_id" INTEGER NULL;
CREATE INDEX "ix_service_orders_account_id_kind_status" ON "service_orders" ("account_id", "kind", "status");

CREATE TABLE "service_order_changes" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_service_order_changes" PRIMARY KEY AUTOINCREMENT,
    "service_order_id" INTEGER NOT NULL,
    "from_status" TEXT NULL,
    "to_status" TEXT NOT NULL,
    "what" TEXT NOT NULL,
    "note" TEXT NULL,
    "changed_by" TEXT NOT NULL,
    "changed_at" TEXT NOT NULL,
    CONSTRAINT "fk_service_order_changes_service_orders_service_order_id" FOREIGN KEY ("service_order_id") REFERENCES "service_orders" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_service_order_changes_service_order_id" ON "service_order_changes" ("service_order_id");

-- Orders made before the lifecycle get their creation as their first change.
INSERT INTO "service_order_changes" ("service_order_id", "from_status", "to_status", "what", "note", "changed_by", "changed_at")
SELECT "id", NULL, 'Open', 'created', NULLIF("notes", ''), "created_by", "created_at" FROM "service_orders";
