-- 0018 allocation priorities: the transaction type a priority is kept for is a FinancialTransactionType's
-- name, stored like financial_transactions.type (character varying(30)), as the EF model maps it; 0013
-- made it text. The schema drift test compares column types and found the difference.

ALTER TABLE allocation_priorities ALTER COLUMN transaction_type TYPE character varying(30);
