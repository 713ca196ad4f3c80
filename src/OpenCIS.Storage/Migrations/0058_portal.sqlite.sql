-- 0058 The customer portal: customers' logins (Identity's tables of their own, apart from staff), the accounts each may
-- see, the payments customers start online, and the events payment processors send to the webhook (kept by their ids,
-- so an event delivered twice does nothing).

CREATE TABLE "portal_users" (
    "id" TEXT NOT NULL CONSTRAINT "pk_portal_users" PRIMARY KEY,
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
    "access_failed_count" INTEGER NOT NULL,
    "display_name" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_portal_users_normalized_user_name" ON "portal_users" ("normalized_user_name");
CREATE INDEX "ix_portal_users_normalized_email" ON "portal_users" ("normalized_email");

CREATE TABLE "portal_user_claims" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_portal_user_claims" PRIMARY KEY AUTOINCREMENT,
    "user_id" TEXT NOT NULL,
    "claim_type" TEXT NULL,
    "claim_value" TEXT NULL,
    CONSTRAINT "fk_portal_user_claims_portal_users_user_id" FOREIGN KEY ("user_id") REFERENCES "portal_users" ("id") ON DELETE CASCADE
);
CREATE INDEX "ix_portal_user_claims_user_id" ON "portal_user_claims" ("user_id");

CREATE TABLE "portal_user_logins" (
    "login_provider" TEXT NOT NULL,
    "provider_key" TEXT NOT NULL,
    "provider_display_name" TEXT NULL,
    "user_id" TEXT NOT NULL,
    CONSTRAINT "pk_portal_user_logins" PRIMARY KEY ("login_provider", "provider_key"),
    CONSTRAINT "fk_portal_user_logins_portal_users_user_id" FOREIGN KEY ("user_id") REFERENCES "portal_users" ("id") ON DELETE CASCADE
);
CREATE INDEX "ix_portal_user_logins_user_id" ON "portal_user_logins" ("user_id");

CREATE TABLE "portal_user_tokens" (
    "user_id" TEXT NOT NULL,
    "login_provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NULL,
    CONSTRAINT "pk_portal_user_tokens" PRIMARY KEY ("user_id", "login_provider", "name"),
    CONSTRAINT "fk_portal_user_tokens_portal_users_user_id" FOREIGN KEY ("user_id") REFERENCES "portal_users" ("id") ON DELETE CASCADE
);

CREATE TABLE "portal_user_accounts" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_portal_user_accounts" PRIMARY KEY AUTOINCREMENT,
    "portal_user_id" TEXT NOT NULL,
    "account_id" INTEGER NOT NULL,
    "proof" TEXT NOT NULL,
    "linked_at" TEXT NOT NULL,
    CONSTRAINT "fk_portal_user_accounts_accounts_account_id" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_portal_user_accounts_portal_users_portal_user_id" FOREIGN KEY ("portal_user_id") REFERENCES "portal_users" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "ix_portal_user_accounts_portal_user_id_account_id" ON "portal_user_accounts" ("portal_user_id", "account_id");
CREATE INDEX "ix_portal_user_accounts_account_id" ON "portal_user_accounts" ("account_id");

CREATE TABLE "online_payments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_online_payments" PRIMARY KEY AUTOINCREMENT,
    "processor" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "portal_user_id" TEXT NOT NULL,
    "account_id" INTEGER NOT NULL,
    "bill_id" INTEGER NULL,
    "amount_cents" INTEGER NOT NULL,
    "fee_cents" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "started_at" TEXT NOT NULL,
    "confirmed_at" TEXT NULL,
    "processor_reference" TEXT NULL,
    "card_brand" TEXT NULL,
    "card_last_four" TEXT NULL,
    "payment_id" INTEGER NULL,
    "failure_reason" TEXT NULL,
    CONSTRAINT "fk_online_payments_accounts_account_id" FOREIGN KEY ("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE,
    CONSTRAINT "fk_online_payments_payments_payment_id" FOREIGN KEY ("payment_id") REFERENCES "payments" ("id")
);
CREATE UNIQUE INDEX "ix_online_payments_processor_session_id" ON "online_payments" ("processor", "session_id");
CREATE INDEX "ix_online_payments_account_id" ON "online_payments" ("account_id");
CREATE INDEX "ix_online_payments_portal_user_id" ON "online_payments" ("portal_user_id");
CREATE INDEX "ix_online_payments_payment_id" ON "online_payments" ("payment_id");

CREATE TABLE "processor_events" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_processor_events" PRIMARY KEY AUTOINCREMENT,
    "processor" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "received_at" TEXT NOT NULL,
    "online_payment_id" INTEGER NULL,
    "outcome" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_processor_events_processor_event_id" ON "processor_events" ("processor", "event_id");
