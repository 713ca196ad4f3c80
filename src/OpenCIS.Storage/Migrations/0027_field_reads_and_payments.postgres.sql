-- 0027 the field's results become real: the meter read a disconnect or reconnect took is stored as a meter read
-- (validated as metering validates reads) and linked from its order; money paid at the door is posted as a
-- payment and linked from its order, so the order completes once and its payment and read are never made twice.

ALTER TABLE service_orders ADD COLUMN read_id bigint;
ALTER TABLE service_orders ADD COLUMN payment_id bigint;
