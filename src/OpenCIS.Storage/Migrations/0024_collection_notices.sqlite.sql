-- 0024 collection notices: the Liquid templates notices are written from (versions, never changed), the
-- notices the day's collections events produced (one per event: recipient, delivery, figures and the
-- rendered text with its template version), and the customer's choice of e-mail for notices.

CREATE TABLE "collection_notice_templates" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_collection_notice_templates" PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "imported_at" TEXT NOT NULL,
    "imported_by" TEXT NOT NULL
);

CREATE UNIQUE INDEX "ix_collection_notice_templates_kind_version" ON "collection_notice_templates" ("kind", "version");

CREATE TABLE "collection_notices" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_collection_notices" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "collection_event_id" INTEGER NOT NULL,
    "business_date" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "recipient_name" TEXT NOT NULL,
    "recipient_address" TEXT NOT NULL,
    "delivery" TEXT NOT NULL,
    "email_address" TEXT NULL,
    "past_due_cents" INTEGER NOT NULL,
    "earliest_disconnect_on" TEXT NULL,
    "text" TEXT NOT NULL,
    "template_id" INTEGER NOT NULL,
    "template_version" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL
);

CREATE UNIQUE INDEX "ix_collection_notices_collection_event_id" ON "collection_notices" ("collection_event_id");
CREATE INDEX "ix_collection_notices_business_date" ON "collection_notices" ("business_date");
CREATE INDEX "ix_collection_notices_account_id" ON "collection_notices" ("account_id");

ALTER TABLE "customers" ADD COLUMN "notices_by_email" INTEGER NOT NULL DEFAULT 0;
