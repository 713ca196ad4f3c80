using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Invoices;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Payments.Mail;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// City receivables by invoice on each database: a type kept as data with its own revenue account, a false-alarm invoice
/// to a new party posted once under a retried key to a receivables account with no premise, paid at the counter by that
/// account, a code-enforcement file imported whole (and once), a bad file naming its lines and posting nothing, and the
/// books tying out after each.
/// </summary>
public sealed class InvoiceWorkflowTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_invoice_posts_once_to_a_party_receivables_account_is_paid_and_a_file_of_them_imports_whole_or_not_at_all(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "invoices");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 1);

        await scope.ServiceProvider.GetRequiredService<ConfigureLedger>().SaveAccountAsync(new GlAccountDefinition("4820", "False alarm fees", "10", "General", "2110"), "admin");
        await scope.ServiceProvider.GetRequiredService<ConfigureLedger>().SaveAccountAsync(new GlAccountDefinition("4840", "Code enforcement abatement", "10", "General", "2210"), "admin");
        var types = scope.ServiceProvider.GetRequiredService<InvoiceTypes>();
        var notInChart = await Assert.ThrowsAsync<DomainException>(() => types.SaveAsync("ALARM", "False alarm", "4999", 30, null, true, "admin"));
        Assert.Equal("revenueGlAccount", notInChart.Field);
        var controlAccount = await Assert.ThrowsAsync<DomainException>(() => types.SaveAsync("ALARM", "False alarm", GlAccounts.AccountsReceivable, 30, null, true, "admin"));
        Assert.Equal("revenueGlAccount", controlAccount.Field);
        var alarm = await types.SaveAsync("alarm", "False alarm", "4820", 30, null, true, "admin");
        Assert.Equal(("ALARM", "False alarm fees", "10"), (alarm.Type.Code, alarm.RevenueAccountName, alarm.FundCode));
        await types.SaveAsync("WEED", "Weed abatement", "4840", 21, null, true, "admin");

        // A new business is invoiced for three false alarms; the same key again posts nothing.
        var create = scope.ServiceProvider.GetRequiredService<CreateInvoice>();
        var party = new ApplyingCustomer(CustomerKind.Business, "Riverside Storage LLC", null, null, "12-3456789", "541-555-0142", null, "800 Industrial Way", "Riverbend", "or", "97401");
        var request = new CreateInvoiceRequest(null, party, "ALARM", [new InvoiceLine("False alarm response", 3m, 75m), new InvoiceLine("Alarm permit late fee", 1m, 25.50m)],
            "ALM-2026-118", null, "Third and later alarms in a year are billed", "alarm-118");
        var first = await create.ExecuteAsync(request, "clerk");
        var again = await create.ExecuteAsync(request, "clerk");
        Assert.False(first.AlreadyDone);
        Assert.True(again.AlreadyDone);
        Assert.Equal(first.Invoice.Number, again.Invoice.Number);
        var invoice = first.Invoice;
        Assert.Equal((250.50m, 250.50m, new DateOnly(2026, 12, 22), InvoiceStanding.Open), (invoice.Amount.Dollars, invoice.Open.Dollars, invoice.DueOn, invoice.Standing));
        Assert.Equal(["3 x $75.00 = $225.00", "$25.50"], invoice.Lines.Select(l => l.Trace).ToArray());
        Assert.Equal(1, await db.Invoices.CountAsync());
        var otherRequest = await Assert.ThrowsAsync<DomainException>(() => create.ExecuteAsync(request with { Reference = "ALM-2026-119" }, "clerk"));
        Assert.Equal("Idempotency-Key", otherRequest.Field);

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.AccountNumber == invoice.AccountNumber);
        Assert.Null(account.PremiseId);
        Assert.Equal((AccountClass.Commercial, ""), (account.Class, account.CycleCode));
        var posted = await db.FinancialTransactions.AsNoTracking().Include(t => t.GlEntries).SingleAsync(t => t.Id == invoice.TransactionId);
        Assert.Equal(FinancialTransactionType.Invoice, posted.Type);
        Assert.Equal([("1200", 25_050L, 0L), ("4820", 0L, 25_050L)], posted.GlEntries.OrderBy(g => g.GlAccount).Select(g => (g.GlAccount, g.DebitCents, g.CreditCents)).ToArray());

        // The same business again, by its tax id: the same party and receivables account. A bad line names its field.
        var second = await create.ExecuteAsync(new CreateInvoiceRequest(null, party with { DisplayName = "Riverside Storage" }, "ALARM", [new InvoiceLine("False alarm response", 1m, 75m)]), "clerk");
        Assert.Equal((invoice.CustomerId, invoice.AccountNumber), (second.Invoice.CustomerId, second.Invoice.AccountNumber));
        var badLine = await Assert.ThrowsAsync<DomainException>(() => create.ExecuteAsync(
            new CreateInvoiceRequest(invoice.CustomerId, null, "ALARM", [new InvoiceLine("Response", 1m, 75m), new InvoiceLine("Nothing", 1m, 0m)]), "clerk"));
        Assert.Equal("lines[1].unitPrice", badLine.Field);

        // Paid at the counter by its account number, like any account: the older invoice is paid first.
        var payment = await scope.ServiceProvider.GetRequiredService<TakePayment>().ExecuteAsync(
            new TakePaymentRequest(invoice.AccountNumber, Money.FromCents(26_000), Tender.Check, "5521", PaymentSource.Counter, "pay-1"), "cashier");
        Assert.Equal(65.50m, payment.NewBalance.Dollars);
        var queries = scope.ServiceProvider.GetRequiredService<InvoiceQueries>();
        Assert.Equal(InvoiceStanding.Paid, (await queries.FindAsync(invoice.Number))!.Standing);
        var partly = (await queries.FindAsync(second.Invoice.Number))!;
        Assert.Equal((65.50m, InvoiceStanding.PartlyPaid), (partly.Open.Dollars, partly.Standing));
        Assert.StartsWith($"{invoice.AccountNumber}{partly.Number:D10}{6550:D10}{partly.DueOn:yyyyMMdd}", partly.ScanLine.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var open = await queries.ListAsync(new InvoiceFilter(Standing: "open"));
        Assert.Equal([partly.Number], open.Items.Select(i => i.Number).ToArray());
        Assert.Equal(2, (await queries.ListAsync(new InvoiceFilter(Text: "riverside"))).Total);

        var pdf = InvoicePdf.Render(partly, BillSettings.Default);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(pdf.Pdf, 0, 4), StringComparison.Ordinal);
        Assert.Contains(partly.ScanLine, pdf.Lines);
        Assert.Contains("Amount due $65.50", pdf.Lines);

        // A code-enforcement file: two lines of one invoice (same reference) and one for a utility customer on file.
        var customerId = await db.AccountCustomers.Where(ac => ac.AccountId == accounts[0].AccountId).Select(ac => ac.CustomerId).FirstAsync();
        var import = scope.ServiceProvider.GetRequiredService<ImportInvoices>();
        var good = $"""
            type,reference,customer_id,kind,name,line1,city,state,zip,parcel_id,description,quantity,unit_price
            WEED,CE-1001,,person,Dana Whitfield,12 Elm St,Riverbend,OR,97401,R-1001,Mowing and clearing,4,45.00
            WEED,CE-1001,,person,Dana Whitfield,12 Elm St,Riverbend,OR,97401,R-1001,Administrative fee,1,35.00
            WEED,CE-1002,{customerId},,,,,,,R-1002,Mowing and clearing,2,45.00
            """;
        var bad = """
            type,reference,name,line1,city,state,zip,description,quantity,unit_price
            WEED,CE-2001,Pat Lowe,9 Oak St,Riverbend,OR,97401,Mowing,1,45.00
            PARKING,CE-2002,Pat Lowe,9 Oak St,Riverbend,OR,97401,Ticket,1,30.00
            WEED,CE-2003,Lee Park,,Riverbend,OR,97401,Mowing,1,45.00
            WEED,CE-2004,Lee Park,3 Ash St,Riverbend,OR,97401,Mowing,1,forty
            """;
        var refused = await import.ExecuteAsync("weeds-bad.csv", Encoding.UTF8.GetBytes(bad), "clerk");
        Assert.False(refused.Imported);
        Assert.Equal([(3, "type"), (4, "line1"), (5, "unit_price")], refused.Errors.Select(e => (e.Line, e.Field)).ToArray());
        Assert.All(refused.Errors, e => Assert.Equal("weeds-bad.csv", e.FileName));
        Assert.Equal(2, await db.Invoices.CountAsync());

        var imported = await import.ExecuteAsync("weeds.csv", Encoding.UTF8.GetBytes(good), "clerk");
        Assert.True(imported.Imported, string.Join("; ", imported.Errors));
        Assert.Equal((2, 305m), (imported.InvoiceCount, imported.Total.Dollars));
        var twice = await import.ExecuteAsync("weeds-again.csv", Encoding.UTF8.GetBytes(good), "clerk");
        Assert.True(twice.AlreadyImported);
        Assert.Equal(4, await db.Invoices.CountAsync());
        var dana = (await queries.FindAsync(imported.InvoiceNumbers[0]))!;
        Assert.Equal(("Dana Whitfield", "R-1001", 215m, new DateOnly(2026, 12, 13), "weeds.csv"), (dana.PartyName, dana.ParcelId, dana.Amount.Dollars, dana.DueOn, dana.Source));
        // The utility customer's invoice goes to a receivables account of its own, not to the utility account.
        var onFile = (await queries.FindAsync(imported.InvoiceNumbers[1]))!;
        Assert.Equal(customerId, onFile.CustomerId);
        Assert.NotEqual(accounts[0].AccountNumber, onFile.AccountNumber);

        // The city-wide debt check finds each debtor by name, tax id, parcel or address, with every debt of every kind, and logs each check.
        var check = scope.ServiceProvider.GetRequiredService<DebtCheck>();
        var byTaxId = await check.ExecuteAsync(DebtCheckBy.TaxId, "123456789", "permits-system", "api");
        var business = Assert.Single(byTaxId.Debtors);
        Assert.Equal(("Riverside Storage LLC", "***-**-6789", 65.50m), (business.Name, byTaxId.Query, byTaxId.Owed.Dollars));
        Assert.Equal([("Invoice", partly.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), "Partly paid")], business.Debts.Select(d => (d.Kind, d.Reference, d.Status)).ToArray());
        var byParcel = await check.ExecuteAsync(DebtCheckBy.Parcel, "r-1001", "clerk", "screen");
        Assert.Equal(("Dana Whitfield", 215m), (Assert.Single(byParcel.Debtors).Name, byParcel.Owed.Dollars));
        var utilityCustomer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId);
        var byName = await check.ExecuteAsync(DebtCheckBy.Name, utilityCustomer.DisplayName, "clerk", "screen");
        var both = byName.Debtors.Single(d => d.CustomerId == customerId);
        Assert.Contains(both.Debts, d => d.Kind == "Invoice" && d.Owed.Dollars == 90m && d.Description.Contains("CE-1002", StringComparison.Ordinal));
        var utilityBalance = await db.OpenItems.Where(o => o.AccountId == accounts[0].AccountId).SumAsync(o => o.OpenCents);
        Assert.Equal(utilityBalance > 0, both.Debts.Any(d => d.Kind == "Utility account" && d.Reference == accounts[0].AccountNumber));
        var byAddress = await check.ExecuteAsync(DebtCheckBy.Address, "12 elm", "clerk", "screen");
        Assert.Contains(byAddress.Debtors, d => d.Name == "Dana Whitfield");
        Assert.Empty((await check.ExecuteAsync(DebtCheckBy.Name, "Nobody Atall", "clerk", "screen")).Debtors);
        Assert.Equal("query", (await Assert.ThrowsAsync<DomainException>(() => check.ExecuteAsync(DebtCheckBy.TaxId, "12-34", "clerk", "screen"))).Field);
        var logged = await db.DebtChecks.AsNoTracking().OrderBy(c => c.Id).ToListAsync();
        Assert.Equal(5, logged.Count);
        db.ChangeTracker.Clear();
        Assert.Equal(("permits-system", "TaxId", "***-**-6789", 1, 6_550L), (logged[0].CheckedBy, logged[0].LookedUpBy, logged[0].Query, logged[0].DebtorsFound, logged[0].OwedCents));

        // A hold on the business, to release itself once paid, blocks until the last $65.50 comes in, then releases itself.
        var holdBook = scope.ServiceProvider.GetRequiredService<HoldBook>();
        var hold = await holdBook.PlaceAsync(business.CustomerId, null, "Unpaid false alarm fees", null, releaseWhenPaid: true, "collector");
        var onParcel = await holdBook.PlaceAsync(null, "r-1001", "Weed abatement lien pending", new DateOnly(2027, 6, 30), releaseWhenPaid: false, "collector");
        Assert.Equal(("R-1001", HoldState.Active, 215m), (onParcel.ParcelId, onParcel.State, onParcel.Owed.Dollars));
        Assert.Equal("customerId", (await Assert.ThrowsAsync<DomainException>(() => holdBook.PlaceAsync(business.CustomerId, "R-1001", "Both", null, false, "collector"))).Field);
        Assert.Equal("until", (await Assert.ThrowsAsync<DomainException>(() => holdBook.PlaceAsync(business.CustomerId, null, "Late", new DateOnly(2026, 1, 1), false, "collector"))).Field);
        Assert.Equal("reason", (await Assert.ThrowsAsync<DomainException>(() => holdBook.PlaceAsync(business.CustomerId, null, " ", null, false, "collector"))).Field);
        var held = await check.ExecuteAsync(DebtCheckBy.TaxId, "12-3456789", "permits-system", "api");
        Assert.True(held.Held);
        Assert.Equal([hold.Id], held.Holds.Select(h => h.Id).ToArray());
        Assert.Equal([onParcel.Id], (await check.ExecuteAsync(DebtCheckBy.Parcel, "R-1001", "permits-system", "api")).Holds.Select(h => h.Id).ToArray());

        await scope.ServiceProvider.GetRequiredService<TakePayment>().ExecuteAsync(
            new TakePaymentRequest(invoice.AccountNumber, Money.FromCents(6_550), Tender.Check, "5530", PaymentSource.Counter, "pay-2"), "cashier");
        var cleared = await check.ExecuteAsync(DebtCheckBy.TaxId, "12-3456789", "permits-system", "api");
        Assert.False(cleared.Held);
        Assert.False(cleared.OwesTheCity);
        var releasedItself = Assert.Single(await holdBook.ForAsync([business.CustomerId], [], blockingOnly: false));
        Assert.Equal((HoldState.Released, HoldBook.SystemUser, "Released itself: nothing is owed."), (releasedItself.State, releasedItself.ReleasedBy, releasedItself.ReleaseNote));
        var byHand = await holdBook.ReleaseAsync(onParcel.Id, "Owner on a payment plan", "supervisor");
        Assert.Equal((HoldState.Released, "supervisor"), (byHand.State, byHand.ReleasedBy));
        Assert.Equal("holdId", (await Assert.ThrowsAsync<DomainException>(() => holdBook.ReleaseAsync(onParcel.Id, "Again", "supervisor"))).Field);
        Assert.Empty(await holdBook.OpenAsync());
        Assert.Equal(4, await db.AuditEntries.CountAsync(a => a.EntityType == "Hold"));

        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger, "the trial balance must balance and tie to the sub-ledger");
        Assert.Equal(-(75m + 250.50m), trial.Rows.Single(r => r.GlAccount == "4820").Balance.Dollars);
        Assert.Equal(-305m, trial.Rows.Single(r => r.GlAccount == "4840").Balance.Dollars);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_invoice_paid_by_its_number_at_the_counter_by_its_stub_in_the_mail_or_the_lockbox_is_paid_before_older_ones(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "invoicepay");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var utility = await TinyCity.BuildAsync(db, 1);
        await scope.ServiceProvider.GetRequiredService<ConfigureLedger>().SaveAccountAsync(new GlAccountDefinition("4820", "False alarm fees", "10", "General", "2110"), "admin");
        await scope.ServiceProvider.GetRequiredService<InvoiceTypes>().SaveAsync("ALARM", "False alarm", "4820", 30, null, true, "admin");
        var create = scope.ServiceProvider.GetRequiredService<CreateInvoice>();
        var party = new ApplyingCustomer(CustomerKind.Business, "Harbor Alarm Co", null, null, "98-7654321", null, null, "1 Dock Rd", "Riverbend", "OR", "97401");
        var invoices = new List<InvoiceView>();
        foreach (var (reference, price) in new[] { ("ALM-1", 100m), ("ALM-2", 200m), ("ALM-3", 300m) })
        {
            invoices.Add((await create.ExecuteAsync(new CreateInvoiceRequest(invoices.Count == 0 ? null : invoices[0].CustomerId, invoices.Count == 0 ? party : null, "ALARM",
                [new InvoiceLine("False alarm response", 1m, price)], reference), "clerk")).Invoice);
        }

        var queries = scope.ServiceProvider.GetRequiredService<InvoiceQueries>();
        async Task<decimal[]> OpenAsync()
        {
            var open = new List<decimal>();
            foreach (var invoice in invoices)
            {
                open.Add((await queries.FindAsync(invoice.Number))!.Open.Dollars);
            }

            return [.. open];
        }

        // At the counter by its number alone: the newest invoice is paid, the older ones stay open.
        var take = scope.ServiceProvider.GetRequiredService<TakePayment>();
        var receipt = await take.ExecuteAsync(new TakePaymentRequest("", Money.FromCents(30_000), Tender.Check, "701", PaymentSource.Counter, "inv-pay-1", invoices[2].Number), "cashier");
        Assert.Equal(invoices[2].AccountNumber, receipt.AccountNumber);
        Assert.Equal([100m, 200m, 0m], await OpenAsync());
        var wrongAccount = await Assert.ThrowsAsync<DomainException>(() => take.ExecuteAsync(
            new TakePaymentRequest(utility[0].AccountNumber, Money.FromCents(100), Tender.Check, "702", PaymentSource.Counter, "inv-pay-2", invoices[1].Number), "cashier"));
        Assert.Equal("invoiceNumber", wrongAccount.Field);
        Assert.Equal("invoiceNumber", (await Assert.ThrowsAsync<DomainException>(() => take.ExecuteAsync(
            new TakePaymentRequest("", Money.FromCents(100), Tender.Check, "703", PaymentSource.Counter, "inv-pay-3", 999_999), "cashier"))).Field);

        // By the middle invoice's stub in a mail batch.
        var keying = scope.ServiceProvider.GetRequiredService<KeyMailBatch>();
        var batch = await keying.OpenAsync(1, Money.FromCents(20_000), "clerk");
        await keying.AddItemAsync(batch.Id, invoices[1].ScanLine, null, "5001", "clerk");
        await scope.ServiceProvider.GetRequiredService<PostMailBatch>().ExecuteAsync(batch.Id, "clerk");
        Assert.Equal([100m, 0m, 0m], await OpenAsync());

        // By the oldest one's scan line captured as the lockbox item's customer reference.
        var scanned = (await queries.FindAsync(invoices[0].Number))!.ScanLine.Replace(" ", "", StringComparison.Ordinal);
        var file = Encoding.UTF8.GetBytes(OpenCIS.Core.Payments.Bai2Writer.Write("121000248", "RIVERBEND", new DateTime(2026, 11, 20, 6, 0, 0), "7", new DateOnly(2026, 11, 20),
            [new OpenCIS.Core.Payments.Bai2Account("5550001", [new OpenCIS.Core.Payments.Bai2Item(Money.FromCents(10_000), scanned, "CHK1")])]));
        var lockbox = await scope.ServiceProvider.GetRequiredService<ImportLockbox>().ExecuteAsync(LockboxFormat.Bai2, "lockbox.bai", file, "cashier");
        Assert.True(lockbox.Posted, lockbox.Message);
        Assert.Equal((1, 0), (lockbox.PaymentCount, lockbox.SuspenseCount));
        Assert.Equal([0m, 0m, 0m], await OpenAsync());
        Assert.Contains(await db.FinancialTransactions.Where(t => t.Type == FinancialTransactionType.Payment).Select(t => t.Reason).ToListAsync(),
            r => r!.EndsWith($"for invoice {invoices[2].Number}", StringComparison.Ordinal));

        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger);
    }

}
