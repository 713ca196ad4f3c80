-- 0036 service orders for customer service: each order's department queue and appointment window, the meter a
-- set or exchange put in, and an index for the dispatch board (orders by day and crew).

ALTER TABLE service_orders ADD COLUMN queue character varying(40) NOT NULL DEFAULT 'Field service';
ALTER TABLE service_orders ADD COLUMN window_start time without time zone;
ALTER TABLE service_orders ADD COLUMN window_end time without time zone;
ALTER TABLE service_orders ADD COLUMN new_meter_id bigint;
CREATE INDEX ix_service_orders_due_on_assigned_to ON service_orders (due_on, assigned_to);

-- Service order fees (a connection, a meter test asked for that found the meter right) post to their own revenue account.
INSERT INTO gl_accounts (code, name, fund_code, fund_name, department) VALUES
    ('4930', 'Service order fees', '40', 'Water utility', '4010')
ON CONFLICT (code) DO NOTHING;
