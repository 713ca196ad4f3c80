-- 0017 one ACH enrollment in force per account: the index on account_id becomes unique over the
-- enrollments not cancelled, so two clerks enrolling one account at once cannot both succeed.

DROP INDEX "ix_ach_enrollments_account_id";
CREATE UNIQUE INDEX "ix_ach_enrollments_account_id" ON "ach_enrollments" ("account_id") WHERE status <> 'Cancelled';
