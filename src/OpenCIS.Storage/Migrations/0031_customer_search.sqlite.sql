-- 0031 search finds a customer by phone however it was punctuated and by e-mail in any case, and an account by
-- its premise's parcel or ZIP code, each through an index.

ALTER TABLE "customers" ADD COLUMN "phone_digits" TEXT NULL;
ALTER TABLE "customers" ADD COLUMN "email_key" TEXT NULL;

-- The customers on file: the phone's digits (SQLite has no regular expressions, so the punctuation people type is
-- taken out: spaces, dashes, dots, brackets, slashes and a plus; a phone with anything else in it, an extension say,
-- is left without digits until it is next saved), a leading 1 of 11 digits dropped.
UPDATE "customers" SET "phone_digits" = NULLIF(
    replace(replace(replace(replace(replace(replace(replace(trim("phone"), ' ', ''), '-', ''), '.', ''), '(', ''), ')', ''), '+', ''), '/', ''), '')
WHERE "phone" IS NOT NULL;
UPDATE "customers" SET "phone_digits" = NULL WHERE "phone_digits" GLOB '*[^0-9]*';
UPDATE "customers" SET "phone_digits" = substr("phone_digits", 2) WHERE length("phone_digits") = 11 AND substr("phone_digits", 1, 1) = '1';
UPDATE "customers" SET "phone_digits" = substr("phone_digits", 1, 20) WHERE length("phone_digits") > 20;
UPDATE "customers" SET "email_key" = NULLIF(substr(lower(trim("email")), 1, 254), '') WHERE "email" IS NOT NULL;

CREATE INDEX "ix_customers_phone_digits" ON "customers" ("phone_digits");
CREATE INDEX "ix_customers_email_key" ON "customers" ("email_key");
CREATE INDEX "ix_premises_parcel_id" ON "premises" ("parcel_id");
CREATE INDEX "ix_premises_zip" ON "premises" ("zip");
