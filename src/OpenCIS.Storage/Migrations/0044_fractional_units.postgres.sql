-- 0044 a service agreement's counted units may be fractional (54.45 equivalent residential units, 2.5 dwelling units).

ALTER TABLE service_agreements ALTER COLUMN units TYPE numeric(18,6);
