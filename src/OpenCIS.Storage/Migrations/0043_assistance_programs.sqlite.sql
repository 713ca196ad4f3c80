-- 0043 assistance programs: the programs as data (who is eligible, how often enrollment is re-verified; the discount
-- is in the tariffs, on each charge whose for_programs names the code), each account's enrollments, and the
-- energy-assistance pledges agencies make to accounts, with the payment each arrived as.

CREATE TABLE "assistance_programs" (
    "code" TEXT NOT NULL CONSTRAINT "pk_assistance_programs" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "eligibility" TEXT NOT NULL,
    "verification_months" INTEGER NULL,
    "active" INTEGER NOT NULL,
    "updated_by" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

CREATE TABLE "program_enrollments" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_program_enrollments" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "program_code" TEXT NOT NULL,
    "enrolled_on" TEXT NOT NULL,
    "verified_on" TEXT NULL,
    "expires_on" TEXT NULL,
    "ended_on" TEXT NULL,
    "enrolled_by" TEXT NOT NULL,
    "ended_by" TEXT NULL,
    "note" TEXT NULL
);
CREATE INDEX "ix_program_enrollments_account_id" ON "program_enrollments" ("account_id");
CREATE INDEX "ix_program_enrollments_program_code" ON "program_enrollments" ("program_code");

CREATE TABLE "assistance_pledges" (
    "id" INTEGER NOT NULL CONSTRAINT "pk_assistance_pledges" PRIMARY KEY AUTOINCREMENT,
    "account_id" INTEGER NOT NULL,
    "agency" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "pledged_on" TEXT NOT NULL,
    "expected_by" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "payment_id" INTEGER NULL,
    "paid_on" TEXT NULL,
    "paid_cents" INTEGER NULL,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TEXT NOT NULL,
    "closed_by" TEXT NULL,
    "note" TEXT NULL
);
CREATE INDEX "ix_assistance_pledges_account_id" ON "assistance_pledges" ("account_id");
CREATE INDEX "ix_assistance_pledges_status_expected_by" ON "assistance_pledges" ("status", "expected_by");
CREATE UNIQUE INDEX "ix_assistance_pledges_payment_id" ON "assistance_pledges" ("payment_id") WHERE payment_id IS NOT NULL;
