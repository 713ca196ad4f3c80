-- 0033 search looks names and street lines up by prefix through an index: a customer's name key (lower case, a
-- person's surname first) and a premise's street key (lower case); and the joins from a premise to its accounts
-- and from a meter's service point to its agreements go through indexes too.

ALTER TABLE "customers" ADD COLUMN "name_key" TEXT NOT NULL DEFAULT '';
ALTER TABLE "premises" ADD COLUMN "address_key" TEXT NOT NULL DEFAULT '';

-- Lower case, commas taken for spaces, runs of spaces made one (twice halving covers runs of up to four).
UPDATE "customers" SET "name_key" = lower(trim(replace(replace(replace("display_name", ',', ' '), '  ', ' '), '  ', ' ')));
-- A person's last word first: rtrim by the name's own non-space letters leaves what comes before its last word.
UPDATE "customers" SET "name_key" = substr("name_key", length(rtrim("name_key", replace("name_key", ' ', ''))) + 1) || ' ' || rtrim(rtrim("name_key", replace("name_key", ' ', '')))
WHERE "kind" = 'Person' AND instr("name_key", ' ') > 0;
UPDATE "customers" SET "name_key" = substr("name_key", 1, 200) WHERE length("name_key") > 200;
UPDATE "premises" SET "address_key" = substr(lower(trim(replace(replace(replace("address_line1", ',', ' '), '  ', ' '), '  ', ' '))), 1, 200);

CREATE INDEX "ix_customers_name_key" ON "customers" ("name_key");
CREATE INDEX "ix_premises_address_key" ON "premises" ("address_key");
CREATE INDEX "ix_accounts_premise_id" ON "accounts" ("premise_id");
CREATE INDEX "ix_service_agreements_service_point_id" ON "service_agreements" ("service_point_id");
