-- 0009 cashier drawers: a session from opening float to supervisor approval, the tenders of each
-- counter payment (a payment may be split across several), and the drawer each payment went into.

CREATE TABLE "drawer_sessions" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_drawer_sessions" PRIMARY KEY AUTOINCREMENT,
    "cashier" TEXT NOT NULL,
    "business_date" TEXT NOT NULL,
    "opened_at" TEXT NOT NULL,
    "starting_float_cents" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "closed_at" TEXT NULL,
    "counted_cash_cents" INTEGER NULL,
    "counted_check_cents" INTEGER NULL,
    "counted_money_order_cents" INTEGER NULL,
    "counted_card_cents" INTEGER NULL,
    "counted_ach_cents" INTEGER NULL,
    "expected_cash_cents" INTEGER NULL,
    "expected_check_cents" INTEGER NULL,
    "expected_money_order_cents" INTEGER NULL,
    "expected_card_cents" INTEGER NULL,
    "expected_ach_cents" INTEGER NULL,
    "over_short_cents" INTEGER NULL,
    "approved_by" TEXT NULL,
    "approved_at" TEXT NULL,
    "approval_note" TEXT NULL
);

-- One open drawer per cashier, enforced by the database so two tabs cannot open two.
CREATE UNIQUE INDEX "ix_drawer_sessions_open_cashier" ON "drawer_sessions" ("cashier") WHERE status = 'Open';
CREATE INDEX "ix_drawer_sessions_status" ON "drawer_sessions" ("status");

CREATE TABLE "payment_tenders" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_payment_tenders" PRIMARY KEY AUTOINCREMENT,
    "payment_id" INTEGER NOT NULL,
    "drawer_session_id" INTEGER NOT NULL,
    "tender" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "reference" TEXT NULL,
    "card_token" TEXT NULL,
    "card_last_four" TEXT NULL,
    CONSTRAINT "fk_payment_tenders_payments_payment_id" FOREIGN KEY ("payment_id") REFERENCES "payments" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_payment_tenders_drawer_sessions_drawer_session_id" FOREIGN KEY ("drawer_session_id") REFERENCES "drawer_sessions" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_payment_tenders_payment_id" ON "payment_tenders" ("payment_id");
CREATE INDEX "ix_payment_tenders_drawer_session_id" ON "payment_tenders" ("drawer_session_id");

ALTER TABLE "payments" ADD COLUMN "drawer_session_id" INTEGER NULL;
ALTER TABLE "payments" ADD COLUMN "change_due_cents" INTEGER NULL;
CREATE INDEX "ix_payments_drawer_session_id" ON "payments" ("drawer_session_id");
