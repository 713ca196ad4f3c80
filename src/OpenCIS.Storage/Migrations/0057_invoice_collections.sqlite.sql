-- 0057 Invoice collections: each invoice type may name the collection policy its invoices follow; an invoice's late
-- charge under it (one per invoice), and the policy's notices kept with the type's statements (the step they are for).

ALTER TABLE "invoice_types" ADD COLUMN "collection_policy" TEXT NULL;
ALTER TABLE "invoice_statements" ADD COLUMN "notice" TEXT NULL;

CREATE TABLE "invoice_late_charges" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_invoice_late_charges" PRIMARY KEY AUTOINCREMENT,
    "invoice_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "financial_transaction_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "charged_on" TEXT NOT NULL,
    "policy_code" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_invoice_late_charges_invoice_id" ON "invoice_late_charges" ("invoice_id");
CREATE INDEX "ix_invoice_late_charges_account_id" ON "invoice_late_charges" ("account_id");
