-- 0023 collections: collection policies (versions of YAML), each account's standing and its history of
-- steps, the daily run (unique per business date, in chunks so a killed run resumes), the protections,
-- payment arrangements, promises, contacts and notes people record, and the posted temperatures. Late
-- charges post to each service's late-charge revenue account, fees to the collection fees account.

CREATE TABLE "collection_policies" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_collection_policies" PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "effective_from" TEXT NOT NULL,
    "account_classes" TEXT NOT NULL,
    "debt_types" TEXT NOT NULL,
    "yaml" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "imported_at" TEXT NOT NULL,
    "imported_by" TEXT NOT NULL
);

CREATE UNIQUE INDEX "ix_collection_policies_code_version" ON "collection_policies" ("code", "version");

CREATE TABLE "account_collections" (
    "account_id" INTEGER NOT NULL,
    "policy_code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "days_past_due" INTEGER NOT NULL,
    "past_due_cents" INTEGER NOT NULL,
    "listed" INTEGER NOT NULL,
    "listed_on" TEXT NULL,
    "list_reason" TEXT NULL,
    "protected_by" TEXT NULL,
    "final_notice_on" TEXT NULL,
    "earliest_disconnect_on" TEXT NULL,
    "explanation" TEXT NOT NULL,
    "last_run_on" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    CONSTRAINT "pk_account_collections" PRIMARY KEY ("account_id")
);

CREATE INDEX "ix_account_collections_listed" ON "account_collections" ("listed");
CREATE INDEX "ix_account_collections_status" ON "account_collections" ("status");

CREATE TABLE "collection_events" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_collection_events" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "business_date" TEXT NOT NULL,
    "collection_run_id" INTEGER NULL,
    "action" TEXT NOT NULL,
    "step" TEXT NULL,
    "amount_cents" INTEGER NULL,
    "bill_reference" TEXT NULL,
    "reason" TEXT NOT NULL,
    "financial_transaction_id" INTEGER NULL,
    "created_at" TEXT NOT NULL
);

CREATE INDEX "ix_collection_events_account_id_business_date" ON "collection_events" ("account_id", "business_date");
CREATE INDEX "ix_collection_events_business_date_action" ON "collection_events" ("business_date", "action");

CREATE TABLE "collection_runs" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_collection_runs" PRIMARY KEY AUTOINCREMENT,
    "business_date" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "started_at" TEXT NOT NULL,
    "started_by" TEXT NOT NULL,
    "completed_at" TEXT NULL,
    "accounts_selected" INTEGER NOT NULL,
    "late_charges" INTEGER NOT NULL,
    "late_charge_cents" INTEGER NOT NULL,
    "notices" INTEGER NOT NULL,
    "listed" INTEGER NOT NULL,
    "protected" INTEGER NOT NULL
);

CREATE UNIQUE INDEX "ix_collection_runs_business_date" ON "collection_runs" ("business_date");

CREATE TABLE "collection_run_chunks" (
    "collection_run_id" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "first_account_id" INTEGER NOT NULL,
    "last_account_id" INTEGER NOT NULL,
    "account_count" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "completed_at" TEXT NULL,
    "worker" TEXT NULL,
    CONSTRAINT "pk_collection_run_chunks" PRIMARY KEY ("collection_run_id", "sequence")
);

CREATE TABLE "account_protections" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_account_protections" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "starts_on" TEXT NOT NULL,
    "ends_on" TEXT NULL,
    "physician" TEXT NULL,
    "amount_cents" INTEGER NULL,
    "recipient_name" TEXT NULL,
    "recipient_address" TEXT NULL,
    "note" TEXT NOT NULL,
    "entered_by" TEXT NOT NULL,
    "entered_at" TEXT NOT NULL,
    "ended_on" TEXT NULL,
    "ended_by" TEXT NULL,
    "end_reason" TEXT NULL
);

CREATE INDEX "ix_account_protections_account_id" ON "account_protections" ("account_id");

CREATE TABLE "payment_arrangements" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_payment_arrangements" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "created_on" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "down_payment_cents" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "status_on" TEXT NOT NULL,
    "status_reason" TEXT NOT NULL,
    "outside_policy" TEXT NULL,
    "approved_by" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);

CREATE INDEX "ix_payment_arrangements_account_id_status" ON "payment_arrangements" ("account_id", "status");

CREATE TABLE "arrangement_installments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_arrangement_installments" PRIMARY KEY AUTOINCREMENT,
    "arrangement_id" INTEGER NOT NULL,
    "number" INTEGER NOT NULL,
    "due_on" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    CONSTRAINT "fk_arrangement_installments_payment_arrangements_arrangement_id" FOREIGN KEY ("arrangement_id") REFERENCES "payment_arrangements" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_arrangement_installments_arrangement_id" ON "arrangement_installments" ("arrangement_id");

CREATE TABLE "promises_to_pay" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_promises_to_pay" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "made_on" TEXT NOT NULL,
    "promised_on" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "decided_on" TEXT NULL,
    "contact_id" INTEGER NULL,
    "taken_by" TEXT NOT NULL,
    "taken_at" TEXT NOT NULL
);

CREATE INDEX "ix_promises_to_pay_account_id_status" ON "promises_to_pay" ("account_id", "status");

CREATE TABLE "collection_contacts" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_collection_contacts" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "contacted_at" TEXT NOT NULL,
    "contacted_by" TEXT NOT NULL
);

CREATE INDEX "ix_collection_contacts_account_id" ON "collection_contacts" ("account_id");

CREATE TABLE "account_notes" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_account_notes" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "written_at" TEXT NOT NULL,
    "written_by" TEXT NOT NULL
);

CREATE INDEX "ix_account_notes_account_id" ON "account_notes" ("account_id");

CREATE TABLE "daily_temperatures" (
    "date" TEXT NOT NULL,
    "low_f" INTEGER NOT NULL,
    "high_f" INTEGER NOT NULL,
    "posted_by" TEXT NOT NULL,
    "posted_at" TEXT NOT NULL,
    CONSTRAINT "pk_daily_temperatures" PRIMARY KEY ("date")
);

-- Late charges are revenue of the fund of the service they follow; collection fees (door hanger,
-- disconnect, reconnect) are the water utility's.
INSERT OR IGNORE INTO "gl_accounts" ("code", "name", "fund_code", "fund_name", "department") VALUES
    ('4150', 'Water late charges', '40', 'Water utility', '4010'),
    ('4250', 'Sewer late charges', '41', 'Sewer utility', '4110'),
    ('4350', 'Solid waste late charges', '42', 'Solid waste', '4210'),
    ('4450', 'Stormwater late charges', '10', 'General', '1520'),
    ('4550', 'Electric late charges', '10', 'General', '1530'),
    ('4920', 'Collection and reconnection fees', '40', 'Water utility', '4010');
