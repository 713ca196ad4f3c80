-- 0013 chart of accounts: the city's GL accounts by fund, department and account (the posting
-- rules name the natural accounts; this places them), seeded with the demo city's chart, and the
-- allocation rule's charge-type priorities (none: credits pay the oldest charges first).

CREATE TABLE "gl_accounts" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "fund_code" TEXT NOT NULL,
    "fund_name" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    CONSTRAINT "pk_gl_accounts" PRIMARY KEY ("code")
);

INSERT INTO "gl_accounts" ("code", "name", "fund_code", "fund_name", "department") VALUES
    ('1010', 'Cash - pooled utility receipts', '10', 'General', '1510'),
    ('1200', 'Accounts receivable - utility customers', '10', 'General', '1510'),
    ('1290', 'Allowance for uncollectible accounts', '10', 'General', '1510'),
    ('1900', 'Due to/from other funds', '10', 'General', '1510'),
    ('1950', 'Balance transfer clearing', '10', 'General', '1510'),
    ('2100', 'Refunds payable to customers', '10', 'General', '1510'),
    ('2200', 'Customer deposits held', '10', 'General', '1510'),
    ('4100', 'Water sales', '40', 'Water utility', '4010'),
    ('4200', 'Sewer charges', '41', 'Sewer utility', '4110'),
    ('4300', 'Solid waste charges', '42', 'Solid waste', '4210'),
    ('4400', 'Stormwater charges', '10', 'General', '1520'),
    ('4500', 'Electric sales', '10', 'General', '1530'),
    ('4900', 'Billing adjustments and allowances', '10', 'General', '1510'),
    ('4910', 'Returned payment fees', '10', 'General', '1510'),
    ('5100', 'Interest on customer deposits', '10', 'General', '1510');

CREATE TABLE "allocation_priorities" (
    "transaction_type" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    CONSTRAINT "pk_allocation_priorities" PRIMARY KEY ("transaction_type")
);
