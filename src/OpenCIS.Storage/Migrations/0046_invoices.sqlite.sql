-- 0046 city receivables billed by invoice: the invoice types as data (revenue account, terms, statements), the invoices
-- with their lines, and the files imported whole. A party's invoices post to a city receivables account, an account
-- with no premise, so accounts.premise_id may be null: SQLite changes no column in place, so the table is built again
-- with its rows and indexes; no foreign key refers to it.

CREATE TABLE "accounts_0046" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_accounts" PRIMARY KEY AUTOINCREMENT,
    "account_number" TEXT NOT NULL,
    "class" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "cycle_code" TEXT NOT NULL,
    "premise_id" INTEGER NULL,
    "opened_on" TEXT NOT NULL,
    "closed_on" TEXT NULL,
    "cash_only" INTEGER NOT NULL,
    "route_code" TEXT NULL,
    "route_sequence" INTEGER NOT NULL DEFAULT 0,
    "bill_delivery" TEXT NOT NULL DEFAULT 'Paper',
    "owner_revert" INTEGER NOT NULL DEFAULT 0
);

INSERT INTO "accounts_0046" ("id", "account_number", "class", "status", "cycle_code", "premise_id", "opened_on", "closed_on", "cash_only", "route_code", "route_sequence", "bill_delivery", "owner_revert")
SELECT "id", "account_number", "class", "status", "cycle_code", "premise_id", "opened_on", "closed_on", "cash_only", "route_code", "route_sequence", "bill_delivery", "owner_revert"
FROM "accounts";

DROP TABLE "accounts";
ALTER TABLE "accounts_0046" RENAME TO "accounts";
CREATE UNIQUE INDEX "ix_accounts_account_number" ON "accounts" ("account_number");
CREATE INDEX "ix_accounts_cycle_code_status" ON "accounts" ("cycle_code", "status");
CREATE INDEX "ix_accounts_route_code_route_sequence" ON "accounts" ("route_code", "route_sequence");
CREATE INDEX "ix_accounts_premise_id" ON "accounts" ("premise_id");

CREATE TABLE "invoice_types" (
    "code" TEXT NOT NULL CONSTRAINT "pk_invoice_types" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "revenue_gl_account" TEXT NOT NULL,
    "terms_days" INTEGER NOT NULL,
    "statement_every_days" INTEGER NULL,
    "active" INTEGER NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

CREATE TABLE "invoices" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_invoices" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "type_code" TEXT NOT NULL,
    "financial_transaction_id" INTEGER NOT NULL,
    "issued_on" TEXT NOT NULL,
    "due_on" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "reference" TEXT NULL,
    "parcel_id" TEXT NULL,
    "note" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NULL
);
CREATE INDEX "ix_invoices_account_id" ON "invoices" ("account_id");
CREATE INDEX "ix_invoices_customer_id" ON "invoices" ("customer_id");
CREATE INDEX "ix_invoices_type_code_issued_on" ON "invoices" ("type_code", "issued_on");
CREATE UNIQUE INDEX "ix_invoices_financial_transaction_id" ON "invoices" ("financial_transaction_id");
CREATE INDEX "ix_invoices_reference" ON "invoices" ("reference");
CREATE UNIQUE INDEX "ix_invoices_created_by_idempotency_key" ON "invoices" ("created_by", "idempotency_key");

CREATE TABLE "invoice_lines" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_invoice_lines" PRIMARY KEY AUTOINCREMENT,
    "invoice_id" INTEGER NOT NULL,
    "line_number" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" TEXT NOT NULL,
    "unit_price" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    CONSTRAINT "fk_invoice_lines_invoices_invoice_id" FOREIGN KEY ("invoice_id") REFERENCES "invoices" ("id") ON DELETE CASCADE
);
CREATE INDEX "ix_invoice_lines_invoice_id" ON "invoice_lines" ("invoice_id");

CREATE TABLE "invoice_imports" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_invoice_imports" PRIMARY KEY AUTOINCREMENT,
    "file_name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "invoice_count" INTEGER NOT NULL,
    "total_cents" INTEGER NOT NULL,
    "imported_by" TEXT NOT NULL,
    "imported_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_invoice_imports_sha256" ON "invoice_imports" ("sha256");
