-- 0033 search looks names and street lines up by prefix through an index: a customer's name key (lower case, a
-- person's surname first) and a premise's street key (lower case); and the joins from a premise to its accounts
-- and from a meter's service point to its agreements go through indexes too.

ALTER TABLE customers ADD COLUMN name_key character varying(200) NOT NULL DEFAULT '';
ALTER TABLE premises ADD COLUMN address_key character varying(200) NOT NULL DEFAULT '';

UPDATE customers SET name_key = left(CASE
        WHEN kind = 'Person' THEN regexp_replace(k, '^(.*) (\S+)$', '\2 \1')
        ELSE k END, 200)
FROM (SELECT id AS cid, btrim(regexp_replace(lower(replace(display_name, ',', ' ')), ' +', ' ', 'g')) AS k FROM customers) keys
WHERE customers.id = keys.cid;
UPDATE premises SET address_key = left(btrim(regexp_replace(lower(replace(address_line1, ',', ' ')), ' +', ' ', 'g')), 200);

ALTER TABLE customers ALTER COLUMN name_key DROP DEFAULT;
ALTER TABLE premises ALTER COLUMN address_key DROP DEFAULT;

CREATE INDEX ix_customers_name_key ON customers (name_key);
CREATE INDEX ix_premises_address_key ON premises (address_key);
CREATE INDEX ix_accounts_premise_id ON accounts (premise_id);
CREATE INDEX ix_service_agreements_service_point_id ON service_agreements (service_point_id);
