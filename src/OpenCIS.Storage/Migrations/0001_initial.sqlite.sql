-- 0001 initial: customers, accounts, premises, metering, rating, billing, ledger, payments, identity
-- First written from the EF model with `opencis db script --provider sqlite`; edited by hand from then on.

CREATE TABLE "account_customers" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_account_customers" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "started_on" TEXT NOT NULL,
    "ended_on" TEXT NULL
);

CREATE TABLE "accounts" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_accounts" PRIMARY KEY AUTOINCREMENT,
    "account_number" TEXT NOT NULL,
    "class" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "cycle_code" TEXT NOT NULL,
    "premise_id" INTEGER NOT NULL,
    "opened_on" TEXT NOT NULL,
    "closed_on" TEXT NULL,
    "cash_only" INTEGER NOT NULL
);

CREATE TABLE "asp_net_roles" (
    "id" TEXT NOT NULL CONSTRAINT "pk_asp_net_roles" PRIMARY KEY,
    "name" TEXT NULL,
    "normalized_name" TEXT NULL,
    "concurrency_stamp" TEXT NULL
);

CREATE TABLE "asp_net_users" (
    "id" TEXT NOT NULL CONSTRAINT "pk_asp_net_users" PRIMARY KEY,
    "user_name" TEXT NULL,
    "normalized_user_name" TEXT NULL,
    "email" TEXT NULL,
    "normalized_email" TEXT NULL,
    "email_confirmed" INTEGER NOT NULL,
    "password_hash" TEXT NULL,
    "security_stamp" TEXT NULL,
    "concurrency_stamp" TEXT NULL,
    "phone_number" TEXT NULL,
    "phone_number_confirmed" INTEGER NOT NULL,
    "two_factor_enabled" INTEGER NOT NULL,
    "lockout_end" TEXT NULL,
    "lockout_enabled" INTEGER NOT NULL,
    "access_failed_count" INTEGER NOT NULL
);

CREATE TABLE "billing_cycles" (
    "code" TEXT NOT NULL CONSTRAINT "pk_billing_cycles" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "read_day_of_month" INTEGER NOT NULL,
    "due_days" INTEGER NOT NULL,
    "read_window_days" INTEGER NOT NULL
);

CREATE TABLE "billing_exceptions" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_billing_exceptions" PRIMARY KEY AUTOINCREMENT,
    "billing_run_id" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "reason" TEXT NOT NULL
);

CREATE TABLE "billing_runs" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_billing_runs" PRIMARY KEY AUTOINCREMENT,
    "cycle_code" TEXT NOT NULL,
    "business_date" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "started_at" TEXT NOT NULL,
    "completed_at" TEXT NULL,
    "started_by" TEXT NOT NULL,
    "accounts_selected" INTEGER NOT NULL,
    "bills_created" INTEGER NOT NULL,
    "exception_count" INTEGER NOT NULL,
    "total_billed_cents" INTEGER NOT NULL
);

CREATE TABLE "customers" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_customers" PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "email" TEXT NULL,
    "phone" TEXT NULL,
    "mailing_line1" TEXT NOT NULL,
    "mailing_city" TEXT NOT NULL,
    "mailing_state" TEXT NOT NULL,
    "mailing_zip" TEXT NOT NULL,
    "identity_kind" TEXT NULL,
    "identity_cipher" TEXT NULL,
    "identity_last_four" TEXT NULL,
    "created_at" TEXT NOT NULL
);

CREATE TABLE "financial_transactions" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_financial_transactions" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "effective_on" TEXT NOT NULL,
    "posted_at" TEXT NOT NULL,
    "posted_by" TEXT NOT NULL,
    "reason" TEXT NULL,
    "reverses_transaction_id" INTEGER NULL,
    "balance_after_cents" INTEGER NOT NULL
);

CREATE TABLE "imported_files" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_imported_files" PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "imported_at" TEXT NOT NULL,
    "imported_by" TEXT NOT NULL,
    "record_count" INTEGER NOT NULL,
    "total_cents" INTEGER NOT NULL
);

CREATE TABLE "meter_reads" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_meter_reads" PRIMARY KEY AUTOINCREMENT,
    "meter_id" INTEGER NOT NULL,
    "service_point_id" INTEGER NOT NULL,
    "read_on" TEXT NOT NULL,
    "reading" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "recorded_at" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL
);

CREATE TABLE "meters" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_meters" PRIMARY KEY AUTOINCREMENT,
    "serial" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "dials" INTEGER NOT NULL,
    "multiplier" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "service_point_id" INTEGER NULL,
    "set_on" TEXT NULL
);

CREATE TABLE "premises" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_premises" PRIMARY KEY AUTOINCREMENT,
    "address_line1" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "zip" TEXT NOT NULL,
    "parcel_id" TEXT NOT NULL,
    "owner_of_record" TEXT NOT NULL
);

CREATE TABLE "rate_schedules" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_rate_schedules" PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "effective_from" TEXT NOT NULL,
    "definition" TEXT NOT NULL
);

CREATE TABLE "service_agreements" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_service_agreements" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "service_point_id" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "rate_schedule_code" TEXT NOT NULL,
    "started_on" TEXT NOT NULL,
    "ended_on" TEXT NULL,
    "units" INTEGER NOT NULL,
    "usage_from_service" TEXT NULL
);

CREATE TABLE "service_points" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_service_points" PRIMARY KEY AUTOINCREMENT,
    "premise_id" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "is_metered" INTEGER NOT NULL
);

CREATE TABLE "asp_net_role_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_asp_net_role_claims" PRIMARY KEY AUTOINCREMENT,
    "role_id" TEXT NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "fk_asp_net_role_claims_asp_net_roles_role_id" FOREIGN KEY ("role_id") REFERENCES "asp_net_roles" ("id") ON DELETE CASCADE
);

CREATE TABLE "asp_net_user_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_asp_net_user_claims" PRIMARY KEY AUTOINCREMENT,
    "user_id" TEXT NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "fk_asp_net_user_claims_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "asp_net_users" ("id") ON DELETE CASCADE
);

CREATE TABLE "asp_net_user_logins" (
    "login_provider" TEXT NOT NULL,
    "provider_key" TEXT NOT NULL,
    "provider_display_name" TEXT NULL,
    "user_id" TEXT NOT NULL,
    CONSTRAINT "pk_asp_net_user_logins" PRIMARY KEY ("login_provider", "provider_key"),
    CONSTRAINT "fk_asp_net_user_logins_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "asp_net_users" ("id") ON DELETE CASCADE
);

CREATE TABLE "asp_net_user_roles" (
    "user_id" TEXT NOT NULL,
    "role_id" TEXT NOT NULL,
    CONSTRAINT "pk_asp_net_user_roles" PRIMARY KEY ("user_id", "role_id"),
    CONSTRAINT "fk_asp_net_user_roles_asp_net_roles_role_id" FOREIGN KEY ("role_id") REFERENCES "asp_net_roles" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_asp_net_user_roles_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "asp_net_users" ("id") ON DELETE CASCADE
);

CREATE TABLE "asp_net_user_tokens" (
    "user_id" TEXT NOT NULL,
    "login_provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NULL,
    CONSTRAINT "pk_asp_net_user_tokens" PRIMARY KEY ("user_id", "login_provider", "name"),
    CONSTRAINT "fk_asp_net_user_tokens_asp_net_users_user_id" FOREIGN KEY ("user_id") REFERENCES "asp_net_users" ("id") ON DELETE CASCADE
);

CREATE TABLE "bills" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_bills" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "billing_run_id" INTEGER NULL,
    "bill_date" TEXT NOT NULL,
    "due_date" TEXT NOT NULL,
    "period_start" TEXT NOT NULL,
    "period_end" TEXT NOT NULL,
    "previous_balance_cents" INTEGER NOT NULL,
    "payments_cents" INTEGER NOT NULL,
    "adjustments_cents" INTEGER NOT NULL,
    "current_charges_cents" INTEGER NOT NULL,
    "amount_due_cents" INTEGER NOT NULL,
    "financial_transaction_id" INTEGER NULL,
    "status" TEXT NOT NULL,
    CONSTRAINT "fk_bills_financial_transactions_financial_transaction_id" FOREIGN KEY ("financial_transaction_id") REFERENCES "financial_transactions" ("id")
);

CREATE TABLE "gl_entries" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_gl_entries" PRIMARY KEY AUTOINCREMENT,
    "financial_transaction_id" INTEGER NOT NULL,
    "gl_account" TEXT NOT NULL,
    "debit_cents" INTEGER NOT NULL,
    "credit_cents" INTEGER NOT NULL,
    "effective_on" TEXT NOT NULL,
    CONSTRAINT "fk_gl_entries_financial_transactions_financial_transaction_id" FOREIGN KEY ("financial_transaction_id") REFERENCES "financial_transactions" ("id") ON DELETE CASCADE
);

CREATE TABLE "open_items" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_open_items" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "financial_transaction_id" INTEGER NOT NULL,
    "service" TEXT NULL,
    "posted_on" TEXT NOT NULL,
    "due_on" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "open_cents" INTEGER NOT NULL,
    CONSTRAINT "fk_open_items_financial_transactions_financial_transaction_id" FOREIGN KEY ("financial_transaction_id") REFERENCES "financial_transactions" ("id") ON DELETE CASCADE
);

CREATE TABLE "payments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_payments" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "tender" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "reference" TEXT NULL,
    "received_on" TEXT NOT NULL,
    "received_at" TEXT NOT NULL,
    "cashier" TEXT NOT NULL,
    "financial_transaction_id" INTEGER NOT NULL,
    "imported_file_id" INTEGER NULL,
    "idempotency_key" TEXT NULL,
    "request_fingerprint" TEXT NULL,
    CONSTRAINT "fk_payments_financial_transactions_financial_transaction_id" FOREIGN KEY ("financial_transaction_id") REFERENCES "financial_transactions" ("id") ON DELETE CASCADE
);

CREATE TABLE "bill_segments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_bill_segments" PRIMARY KEY AUTOINCREMENT,
    "bill_id" INTEGER NOT NULL,
    "service_agreement_id" INTEGER NOT NULL,
    "service" TEXT NOT NULL,
    "tariff_code" TEXT NOT NULL,
    "meter_serial" TEXT NULL,
    "previous_reading" INTEGER NULL,
    "previous_read_on" TEXT NULL,
    "present_reading" INTEGER NULL,
    "present_read_on" TEXT NULL,
    "multiplier" TEXT NULL,
    "usage_quantity" TEXT NULL,
    "usage_unit" TEXT NULL,
    "amount_cents" INTEGER NOT NULL,
    CONSTRAINT "fk_bill_segments_bills_bill_id" FOREIGN KEY ("bill_id") REFERENCES "bills" ("id") ON DELETE CASCADE
);

CREATE TABLE "item_allocations" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_item_allocations" PRIMARY KEY AUTOINCREMENT,
    "charge_item_id" INTEGER NOT NULL,
    "credit_item_id" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "allocated_at" TEXT NOT NULL,
    CONSTRAINT "fk_item_allocations_open_items_charge_item_id" FOREIGN KEY ("charge_item_id") REFERENCES "open_items" ("id") ON DELETE RESTRICT,
    CONSTRAINT "fk_item_allocations_open_items_credit_item_id" FOREIGN KEY ("credit_item_id") REFERENCES "open_items" ("id") ON DELETE RESTRICT
);

CREATE TABLE "bill_lines" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_bill_lines" PRIMARY KEY AUTOINCREMENT,
    "bill_segment_id" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "trace" TEXT NOT NULL,
    CONSTRAINT "fk_bill_lines_bill_segments_bill_segment_id" FOREIGN KEY ("bill_segment_id") REFERENCES "bill_segments" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_account_customers_account_id_role" ON "account_customers" ("account_id", "role");

CREATE INDEX "ix_account_customers_customer_id" ON "account_customers" ("customer_id");

CREATE UNIQUE INDEX "ix_accounts_account_number" ON "accounts" ("account_number");

CREATE INDEX "ix_accounts_cycle_code_status" ON "accounts" ("cycle_code", "status");

CREATE INDEX "ix_asp_net_role_claims_role_id" ON "asp_net_role_claims" ("role_id");

CREATE UNIQUE INDEX "role_name_index" ON "asp_net_roles" ("normalized_name");

CREATE INDEX "ix_asp_net_user_claims_user_id" ON "asp_net_user_claims" ("user_id");

CREATE INDEX "ix_asp_net_user_logins_user_id" ON "asp_net_user_logins" ("user_id");

CREATE INDEX "ix_asp_net_user_roles_role_id" ON "asp_net_user_roles" ("role_id");

CREATE INDEX "email_index" ON "asp_net_users" ("normalized_email");

CREATE UNIQUE INDEX "user_name_index" ON "asp_net_users" ("normalized_user_name");

CREATE INDEX "ix_bill_lines_bill_segment_id" ON "bill_lines" ("bill_segment_id");

CREATE INDEX "ix_bill_segments_bill_id" ON "bill_segments" ("bill_id");

CREATE INDEX "ix_billing_exceptions_account_id" ON "billing_exceptions" ("account_id");

CREATE UNIQUE INDEX "ix_billing_exceptions_billing_run_id_account_id" ON "billing_exceptions" ("billing_run_id", "account_id");

CREATE UNIQUE INDEX "ix_billing_runs_cycle_code_business_date" ON "billing_runs" ("cycle_code", "business_date");

CREATE INDEX "ix_bills_account_id_bill_date" ON "bills" ("account_id", "bill_date");

CREATE UNIQUE INDEX "ix_bills_billing_run_id_account_id" ON "bills" ("billing_run_id", "account_id");

CREATE INDEX "ix_bills_financial_transaction_id" ON "bills" ("financial_transaction_id");

CREATE INDEX "ix_customers_display_name" ON "customers" ("display_name");

CREATE INDEX "ix_financial_transactions_account_id_id" ON "financial_transactions" ("account_id", "id");

CREATE INDEX "ix_gl_entries_financial_transaction_id" ON "gl_entries" ("financial_transaction_id");

CREATE INDEX "ix_gl_entries_gl_account_effective_on" ON "gl_entries" ("gl_account", "effective_on");

CREATE UNIQUE INDEX "ix_imported_files_kind_sha256" ON "imported_files" ("kind", "sha256");

CREATE INDEX "ix_item_allocations_charge_item_id" ON "item_allocations" ("charge_item_id");

CREATE INDEX "ix_item_allocations_credit_item_id" ON "item_allocations" ("credit_item_id");

CREATE INDEX "ix_meter_reads_meter_id_read_on" ON "meter_reads" ("meter_id", "read_on");

CREATE INDEX "ix_meter_reads_service_point_id_read_on" ON "meter_reads" ("service_point_id", "read_on");

CREATE UNIQUE INDEX "ix_meters_serial" ON "meters" ("serial");

CREATE INDEX "ix_meters_service_point_id" ON "meters" ("service_point_id");

CREATE INDEX "ix_open_items_account_id_open_cents" ON "open_items" ("account_id", "open_cents");

CREATE INDEX "ix_open_items_financial_transaction_id" ON "open_items" ("financial_transaction_id");

CREATE INDEX "ix_payments_account_id_received_on" ON "payments" ("account_id", "received_on");

CREATE INDEX "ix_payments_financial_transaction_id" ON "payments" ("financial_transaction_id");

CREATE UNIQUE INDEX "ix_payments_idempotency_key" ON "payments" ("idempotency_key");

CREATE INDEX "ix_premises_address_line1" ON "premises" ("address_line1");

CREATE UNIQUE INDEX "ix_rate_schedules_code_effective_from" ON "rate_schedules" ("code", "effective_from");

CREATE INDEX "ix_service_agreements_account_id" ON "service_agreements" ("account_id");

CREATE INDEX "ix_service_points_premise_id" ON "service_points" ("premise_id");

