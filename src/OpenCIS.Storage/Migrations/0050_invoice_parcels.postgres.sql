-- 0050 invoices found by parcel (the debt check by parcel, a lien's parcel) without reading them all.

CREATE INDEX ix_invoices_parcel_id ON invoices (parcel_id);
