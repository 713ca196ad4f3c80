-- 0002 audit trail: who changed what, when, before and after, and why
-- First written from the EF model with `opencis db script --provider sqlite`; edited by hand from then on.

CREATE TABLE "audit_entries" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_audit_entries" PRIMARY KEY AUTOINCREMENT,
    "at" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "account_id" INTEGER NULL,
    "action" TEXT NOT NULL,
    "before" TEXT NULL,
    "after" TEXT NULL,
    "reason" TEXT NULL
);

CREATE INDEX "ix_audit_entries_account_id" ON "audit_entries" ("account_id");

CREATE INDEX "ix_audit_entries_entity_type_entity_id" ON "audit_entries" ("entity_type", "entity_id");
