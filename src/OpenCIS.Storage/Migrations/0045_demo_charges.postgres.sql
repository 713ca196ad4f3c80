-- 0045 what every kind of charge needs in a run. A meter's reactive energy (kvarh) days are kept beside its real energy
-- days (the power factor of a demand charge), so an interval day is one row per meter, day and unit.

ALTER TABLE interval_days DROP CONSTRAINT pk_interval_days;
ALTER TABLE interval_days ADD CONSTRAINT pk_interval_days PRIMARY KEY (meter_id, day, unit);

-- Gas: its sales and late charges, in the general fund like electric, kept by the gas department (1540).
INSERT INTO gl_accounts (code, name, fund_code, fund_name, department) VALUES
    ('4600', 'Gas sales', '10', 'General', '1540'),
    ('4650', 'Gas late charges', '10', 'General', '1540')
ON CONFLICT (code) DO NOTHING;
