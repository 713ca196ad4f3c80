-- 0031 search finds a customer by phone however it was punctuated and by e-mail in any case, and an account by
-- its premise's parcel or ZIP code, each through an index.

ALTER TABLE customers ADD COLUMN phone_digits character varying(20);
ALTER TABLE customers ADD COLUMN email_key character varying(254);

-- The customers on file: the phone's digits, a leading 1 of 11 digits dropped.
UPDATE customers SET phone_digits = left(CASE WHEN d ~ '^1[0-9]{10}$' THEN substr(d, 2) ELSE d END, 20)
FROM (SELECT id AS cid, NULLIF(regexp_replace(phone, '[^0-9]', '', 'g'), '') AS d FROM customers WHERE phone IS NOT NULL) digits
WHERE customers.id = digits.cid;
UPDATE customers SET email_key = NULLIF(left(lower(trim(email)), 254), '') WHERE email IS NOT NULL;

CREATE INDEX ix_customers_phone_digits ON customers (phone_digits);
CREATE INDEX ix_customers_email_key ON customers (email_key);
CREATE INDEX ix_premises_parcel_id ON premises (parcel_id);
CREATE INDEX ix_premises_zip ON premises (zip);
