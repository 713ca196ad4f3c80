-- 0062 Notice and letter templates in the customer's language: each template is written in a language ("en", "es") and
-- numbered within its kind and language; the templates stored before are English.

ALTER TABLE collection_notice_templates ADD COLUMN language character varying(5) NOT NULL DEFAULT 'en';
DROP INDEX ix_collection_notice_templates_kind_version;
CREATE UNIQUE INDEX ix_collection_notice_templates_kind_language_version ON collection_notice_templates (kind, language, version);
