-- 0032 cases on an account (complaints, billing disputes, high-bill investigations, leak-adjustment and hearing
-- requests), each with its queue, assignee, due date and resolution, and every move kept in case_changes.

CREATE TABLE "account_cases" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_account_cases" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "amount_cents" INTEGER NULL,
    "protection_id" INTEGER NULL,
    "queue" TEXT NOT NULL,
    "assigned_to" TEXT NULL,
    "opened_on" TEXT NOT NULL,
    "due_on" TEXT NOT NULL,
    "opened_by" TEXT NOT NULL,
    "opened_at" TEXT NOT NULL,
    "resolved_on" TEXT NULL,
    "resolution" TEXT NULL,
    "resolved_by" TEXT NULL
);

CREATE INDEX "ix_account_cases_account_id_status" ON "account_cases" ("account_id", "status");
CREATE INDEX "ix_account_cases_assigned_to_status" ON "account_cases" ("assigned_to", "status");
CREATE INDEX "ix_account_cases_queue_status" ON "account_cases" ("queue", "status");

CREATE TABLE "case_changes" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_case_changes" PRIMARY KEY AUTOINCREMENT,
    "case_id" INTEGER NOT NULL,
    "from_status" TEXT NULL,
    "to_status" TEXT NOT NULL,
    "what" TEXT NOT NULL,
    "note" TEXT NULL,
    "changed_by" TEXT NOT NULL,
    "changed_at" TEXT NOT NULL,
    CONSTRAINT "fk_case_changes_account_cases_case_id" FOREIGN KEY ("case_id") REFERENCES "account_cases" ("id") ON DELETE CASCADE
);

CREATE INDEX "ix_case_changes_case_id" ON "case_changes" ("case_id");
