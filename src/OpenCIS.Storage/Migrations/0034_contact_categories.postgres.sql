-- 0034 every contact with a customer is logged, not only a collector's: a contact says what it was about (its
-- category); the ones logged before were collection contacts.

ALTER TABLE collection_contacts ADD COLUMN category character varying(20) NOT NULL DEFAULT 'collections';
ALTER TABLE collection_contacts ALTER COLUMN category DROP DEFAULT;
