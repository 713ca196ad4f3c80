-- 0037 bank account numbers are encrypted at rest like identity numbers: the column keeps the protected text
-- (key id, nonce, tag and ciphertext), and the last four digits are kept apart for screens and refunds.
-- Rows from before are encrypted by the host's start (ProtectBankAccounts), found by their missing last four.

ALTER TABLE ach_enrollments RENAME COLUMN dfi_account_number TO dfi_account_cipher;
ALTER TABLE ach_enrollments ALTER COLUMN dfi_account_cipher TYPE character varying(200);
ALTER TABLE ach_enrollments ADD COLUMN dfi_account_last_four character varying(4);
