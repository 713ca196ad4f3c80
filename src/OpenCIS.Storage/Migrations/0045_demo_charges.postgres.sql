-- 0045 what every kind of charge needs in a run. A meter's reactive energy (kvarh) days are kept beside its real energy
-- days (the power factor of a demand charge), so an interval day is one row per meter, day and unit.

ALTER TABLE interval_days DROP CONSTRAINT pk_interval_days;
ALTER TABLE interval_days ADD CONSTRAINT pk_interval_days PRIMARY KEY (meter_id, day, unit);
