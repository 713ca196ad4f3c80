-- 0015 allocation dates: each application of a credit to a charge carries the business date it took
-- effect (the later of the two items' posting dates), indexed, and both items' posting dates, so aging
-- as of a past date reads only the applications made after that date and, of each, only the item that
-- was already there on it.

ALTER TABLE item_allocations ADD COLUMN effective_on date;
ALTER TABLE item_allocations ADD COLUMN charge_posted_on date;
ALTER TABLE item_allocations ADD COLUMN credit_posted_on date;

UPDATE item_allocations AS a
SET charge_posted_on = charge.posted_on,
    credit_posted_on = credit.posted_on,
    effective_on = GREATEST(charge.posted_on, credit.posted_on)
FROM open_items AS charge, open_items AS credit
WHERE charge.id = a.charge_item_id AND credit.id = a.credit_item_id;

ALTER TABLE item_allocations ALTER COLUMN effective_on SET NOT NULL;
ALTER TABLE item_allocations ALTER COLUMN charge_posted_on SET NOT NULL;
ALTER TABLE item_allocations ALTER COLUMN credit_posted_on SET NOT NULL;

CREATE INDEX ix_item_allocations_effective_on ON item_allocations (effective_on);
