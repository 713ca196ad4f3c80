-- 0008 lockbox files: payments that could not be matched to an account wait in suspense for a
-- clerk; a file posts in chunks, each recorded with the lines it covered so a re-run resumes.

CREATE TABLE "suspense_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_suspense_items" PRIMARY KEY AUTOINCREMENT,
    "imported_file_id" INTEGER NULL,
    "record_number" INTEGER NOT NULL,
    "account_reference" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "received_on" TEXT NOT NULL,
    "tender" TEXT NOT NULL,
    "reference" TEXT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "resolved_at" TEXT NULL,
    "resolved_by" TEXT NULL,
    "resolved_account_id" INTEGER NULL,
    "payment_id" INTEGER NULL,
    "resolution_note" TEXT NULL
);

CREATE INDEX "ix_suspense_items_status" ON "suspense_items" ("status");

CREATE TABLE "imported_file_chunks" (
    "imported_file_id" INTEGER NOT NULL,
    "first_record" INTEGER NOT NULL,
    "last_record" INTEGER NOT NULL,
    "payment_count" INTEGER NOT NULL,
    "suspense_count" INTEGER NOT NULL,
    "posted_cents" INTEGER NOT NULL,
    "posted_at" TEXT NOT NULL,
    CONSTRAINT "pk_imported_file_chunks" PRIMARY KEY ("imported_file_id", "first_record")
);
