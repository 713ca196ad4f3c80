-- 0007 ACH autopay: enrollments (routing and DFI account, prenote then active or cancelled),
-- the debit files generated per settlement date with their entries, and the returns posted.

CREATE TABLE "ach_enrollments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_ach_enrollments" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "routing_number" TEXT NOT NULL,
    "dfi_account_number" TEXT NOT NULL,
    "account_type" TEXT NOT NULL,
    "entry_class" TEXT NOT NULL,
    "holder_name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "enrolled_on" TEXT NOT NULL,
    "enrolled_by" TEXT NOT NULL,
    "prenote_sent_on" TEXT NULL,
    "activated_on" TEXT NULL,
    "cancelled_on" TEXT NULL,
    "cancel_reason" TEXT NULL
);
CREATE INDEX "ix_ach_enrollments_account_id" ON "ach_enrollments" ("account_id");
CREATE INDEX "ix_ach_enrollments_status" ON "ach_enrollments" ("status");

CREATE TABLE "ach_files" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_ach_files" PRIMARY KEY AUTOINCREMENT,
    "settlement_date" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "entry_count" INTEGER NOT NULL,
    "prenote_count" INTEGER NOT NULL,
    "total_cents" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_ach_files_settlement_date" ON "ach_files" ("settlement_date");

CREATE TABLE "ach_entries" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_ach_entries" PRIMARY KEY AUTOINCREMENT,
    "ach_file_id" INTEGER NOT NULL,
    "enrollment_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "bill_id" INTEGER NULL,
    "payment_id" INTEGER NULL,
    "trace_number" TEXT NOT NULL,
    "trace_sequence" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "effective_date" TEXT NOT NULL,
    "is_prenote" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "ix_ach_entries_trace_number" ON "ach_entries" ("trace_number");
CREATE UNIQUE INDEX "ix_ach_entries_bill_id" ON "ach_entries" ("bill_id") WHERE bill_id IS NOT NULL;
CREATE INDEX "ix_ach_entries_ach_file_id" ON "ach_entries" ("ach_file_id");

CREATE TABLE "ach_returns" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_ach_returns" PRIMARY KEY AUTOINCREMENT,
    "ach_entry_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "imported_file_id" INTEGER NOT NULL,
    "reason_code" TEXT NOT NULL,
    "returned_on" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "reversal_transaction_id" INTEGER NULL,
    "fee_transaction_id" INTEGER NULL
);
CREATE UNIQUE INDEX "ix_ach_returns_ach_entry_id" ON "ach_returns" ("ach_entry_id");
CREATE INDEX "ix_ach_returns_account_id_returned_on" ON "ach_returns" ("account_id", "returned_on");
