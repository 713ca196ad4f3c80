-- 0061 e-checks in the customer portal: a one-time ACH debit (WEB) a customer authorizes online waits as pending in
-- one_time_debits until the next ACH file carries it. An ACH entry now debits either an autopay enrollment or a one-time
-- debit, so its enrollment is optional, and a unique index says a one-time debit goes out once.

CREATE TABLE "one_time_debits" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_one_time_debits" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "portal_user_id" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "routing_number" TEXT NOT NULL,
    "dfi_account_cipher" TEXT NOT NULL,
    "dfi_account_last_four" TEXT NOT NULL,
    "account_type" TEXT NOT NULL,
    "entry_class" TEXT NOT NULL,
    "holder_name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "authorized_on" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "authorization_text" TEXT NOT NULL,
    "ach_file_id" INTEGER NULL,
    "payment_id" INTEGER NULL,
    "sent_on" TEXT NULL,
    "cancelled_on" TEXT NULL,
    "cancel_reason" TEXT NULL,
    "returned_on" TEXT NULL,
    CONSTRAINT "fk_one_time_debits_accounts_account_id" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_one_time_debits_payments_payment_id" FOREIGN KEY ("payment_id") REFERENCES "payments" ("id")
);
CREATE INDEX "ix_one_time_debits_account_id" ON "one_time_debits" ("account_id");
CREATE INDEX "ix_one_time_debits_portal_user_id" ON "one_time_debits" ("portal_user_id");
CREATE INDEX "ix_one_time_debits_status" ON "one_time_debits" ("status");
CREATE INDEX "ix_one_time_debits_payment_id" ON "one_time_debits" ("payment_id");

-- SQLite cannot drop a column's NOT NULL in place: the table is built again and its rows copied (nothing references it
-- by a foreign key).
CREATE TABLE "ach_entries_0061" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_ach_entries" PRIMARY KEY AUTOINCREMENT,
    "ach_file_id" INTEGER NOT NULL,
    "enrollment_id" INTEGER NULL,
    "account_id" INTEGER NOT NULL,
    "bill_id" INTEGER NULL,
    "payment_id" INTEGER NULL,
    "trace_number" TEXT NOT NULL,
    "trace_sequence" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "effective_date" TEXT NOT NULL,
    "is_prenote" INTEGER NOT NULL,
    "refund_id" INTEGER NULL,
    "one_time_debit_id" INTEGER NULL
);
INSERT INTO "ach_entries_0061" ("id", "ach_file_id", "enrollment_id", "account_id", "bill_id", "payment_id", "trace_number", "trace_sequence", "amount_cents", "effective_date", "is_prenote", "refund_id")
SELECT "id", "ach_file_id", "enrollment_id", "account_id", "bill_id", "payment_id", "trace_number", "trace_sequence", "amount_cents", "effective_date", "is_prenote", "refund_id" FROM "ach_entries";
DROP TABLE "ach_entries";
ALTER TABLE "ach_entries_0061" RENAME TO "ach_entries";
CREATE UNIQUE INDEX "ix_ach_entries_trace_number" ON "ach_entries" ("trace_number");
CREATE UNIQUE INDEX "ix_ach_entries_bill_id" ON "ach_entries" ("bill_id") WHERE bill_id IS NOT NULL;
CREATE UNIQUE INDEX "ix_ach_entries_refund_id" ON "ach_entries" ("refund_id") WHERE refund_id IS NOT NULL;
CREATE UNIQUE INDEX "ix_ach_entries_one_time_debit_id" ON "ach_entries" ("one_time_debit_id") WHERE one_time_debit_id IS NOT NULL;
CREATE INDEX "ix_ach_entries_ach_file_id" ON "ach_entries" ("ach_file_id");
