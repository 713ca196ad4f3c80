-- 0042 bill messages: a message printed on the bills of its audience (a cycle, an account class, a route or a program's
-- enrolled accounts; none of them: every bill) dated within its range, both days inclusive. Each bill keeps the text of
-- the messages it printed, so a message edited or ended later never changes a bill already issued.

CREATE TABLE "bill_messages" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_bill_messages" PRIMARY KEY AUTOINCREMENT,
    "text" TEXT NOT NULL,
    "starts_on" TEXT NOT NULL,
    "ends_on" TEXT NOT NULL,
    "cycle_code" TEXT NULL,
    "account_class" TEXT NULL,
    "route_code" TEXT NULL,
    "program_code" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

CREATE INDEX "ix_bill_messages_ends_on" ON "bill_messages" ("ends_on");

ALTER TABLE "bills" ADD COLUMN "messages" TEXT NULL;
