-- 0022 outgoing mail: e-mail to customers (notices, letters) is queued in the transaction of the work that
-- produced it and sent later through SMTP (or into the outbox folder in demo mode), retried with a growing
-- wait, and kept with how its sending went. The dedupe key names what a mail is of, so work run again never
-- queues the same mail twice.

CREATE TABLE "outgoing_mail" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_outgoing_mail" PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "account_id" INTEGER NULL,
    "to_address" TEXT NOT NULL,
    "to_name" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body_text" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "last_error" TEXT NULL,
    "queued_at" TEXT NOT NULL,
    "queued_by" TEXT NOT NULL,
    "next_attempt_at" TEXT NOT NULL,
    "sent_at" TEXT NULL,
    "message_id" TEXT NULL
);

CREATE UNIQUE INDEX "ix_outgoing_mail_dedupe_key" ON "outgoing_mail" ("dedupe_key");
CREATE INDEX "ix_outgoing_mail_status_next_attempt_at" ON "outgoing_mail" ("status", "next_attempt_at");
CREATE INDEX "ix_outgoing_mail_account_id" ON "outgoing_mail" ("account_id");

CREATE TABLE "outgoing_mail_attachments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_outgoing_mail_attachments" PRIMARY KEY AUTOINCREMENT,
    "mail_id" INTEGER NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "content" BLOB NOT NULL,
    CONSTRAINT "fk_outgoing_mail_attachments_outgoing_mail_mail_id" FOREIGN KEY ("mail_id") REFERENCES "outgoing_mail" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_outgoing_mail_attachments_mail_id" ON "outgoing_mail_attachments" ("mail_id");
