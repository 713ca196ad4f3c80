-- 0056 Skip tracing: the channels on file known not to work (mail returned from the address, a wrong number, a bounced
-- e-mail); the alternate contacts a collector finds; and the returned-mail files imported, each piece of mail that came back.

ALTER TABLE "customers" ADD COLUMN "mail_returned_on" TEXT NULL;
ALTER TABLE "customers" ADD COLUMN "mail_returned_reason" TEXT NULL;
ALTER TABLE "customers" ADD COLUMN "phone_failed_on" TEXT NULL;
ALTER TABLE "customers" ADD COLUMN "phone_failed_reason" TEXT NULL;
ALTER TABLE "customers" ADD COLUMN "email_failed_on" TEXT NULL;
ALTER TABLE "customers" ADD COLUMN "email_failed_reason" TEXT NULL;

CREATE TABLE "alternate_contacts" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_alternate_contacts" PRIMARY KEY AUTOINCREMENT,
    "customer_id" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "city" TEXT NULL,
    "state" TEXT NULL,
    "zip" TEXT NULL,
    "source" TEXT NOT NULL,
    "note" TEXT NULL,
    "status" TEXT NOT NULL,
    "added_on" TEXT NOT NULL,
    "added_by" TEXT NOT NULL,
    "added_at" TEXT NOT NULL,
    "failed_on" TEXT NULL,
    "failed_reason" TEXT NULL,
    "promoted_on" TEXT NULL,
    "promoted_by" TEXT NULL
);
CREATE INDEX "ix_alternate_contacts_customer_id" ON "alternate_contacts" ("customer_id");

CREATE TABLE "returned_mail_files" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_returned_mail_files" PRIMARY KEY AUTOINCREMENT,
    "file_name" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "lines" INTEGER NOT NULL,
    "marked" INTEGER NOT NULL,
    "imported_by" TEXT NOT NULL,
    "imported_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "ix_returned_mail_files_sha256" ON "returned_mail_files" ("sha256");

CREATE TABLE "returned_mail" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_returned_mail" PRIMARY KEY AUTOINCREMENT,
    "file_id" INTEGER NOT NULL,
    "line_number" INTEGER NOT NULL,
    "account_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "address" TEXT NOT NULL,
    "returned_on" TEXT NOT NULL,
    "reason" TEXT NOT NULL
);
CREATE INDEX "ix_returned_mail_account_id" ON "returned_mail" ("account_id");
CREATE INDEX "ix_returned_mail_file_id" ON "returned_mail" ("file_id");
