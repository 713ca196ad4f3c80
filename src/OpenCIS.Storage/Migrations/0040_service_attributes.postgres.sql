-- 0040 a service's attributes that choose its prices (cart size, pickups per week, fire-line size, class), as
-- name=value pairs: a billing run gives them to the charges priced by them.

ALTER TABLE service_agreements ADD COLUMN attributes character varying(500);
