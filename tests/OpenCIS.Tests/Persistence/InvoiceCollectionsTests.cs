using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Bankruptcy;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Demo;
using OpenCIS.UseCases.Invoices;
using OpenCIS.UseCases.Ledger;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// False alarms and a demolition collected under the receivables policy their types name, on each database, day by day:
/// the reminder at 10 days past due, the late charge once the grace days have run (on what is unpaid; the minimum
/// raising a small one), the final notice ten days after the reminder asking for the invoice and its late charge; the
/// demolition, a type with statements, takes the late charge but no policy notices; an invoice paid by its due date and
/// one under a bankruptcy stay or with a waiver waiting take nothing, each counted held once a day; a second run of a day posts nothing; the books tie out and the late charges
/// age, and show in the debt check, with their invoices.
/// </summary>
public sealed class InvoiceCollectionsTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Past_due_invoices_take_their_types_policy_late_charge_and_notices_once(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "invoice-collections");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<OpenCisDbContext>();
        var ledger = sp.GetRequiredService<ConfigureLedger>();
        await ledger.SaveAccountAsync(new GlAccountDefinition("4820", "False alarm fees", "10", "General", "2110"), "admin");
        await ledger.SaveAccountAsync(new GlAccountDefinition("4840", "Code enforcement abatement", "10", "General", "2210"), "admin");
        var types = sp.GetRequiredService<InvoiceTypes>();
        Assert.Equal("collectionPolicy", (await Assert.ThrowsAsync<DomainException>(() => types.SaveAsync("ALARM", "False alarm", "4820", 30, null, true, "admin", default, null, "RIVERBEND-RECEIVABLES"))).Field);
        await sp.GetRequiredService<ImportCollectionPolicy>().ExecuteAsync(DemoCollections.ReceivablesPolicyFileName, DemoCollections.ReceivablesPolicyYaml(), "admin");
        var alarm = await types.SaveAsync("ALARM", "False alarm", "4820", 30, null, true, "admin", default, null, "riverbend-receivables");
        Assert.Equal(DemoCollections.ReceivablesPolicyCode, alarm.Type.CollectionPolicy);
        await ledger.SaveAccountAsync(new GlAccountDefinition("4845", "Code enforcement allowances", "10", "General", "2210"), "admin");
        await types.SaveAsync("DEMOLITION", "Demolition", "4840", 30, 30, true, "admin", default, "4845", DemoCollections.ReceivablesPolicyCode);

        var create = sp.GetRequiredService<CreateInvoice>();
        static ApplyingCustomer Party(string name, string line1) => new(CustomerKind.Person, name, new DateOnly(1970, 3, 3), null, null, null, null, line1, "Riverbend", "OR", "97401");
        async Task<InvoiceView> InvoiceAsync(string name, string type, decimal amount, long? customerId = null) =>
            (await create.ExecuteAsync(new CreateInvoiceRequest(customerId, customerId is null ? Party(name, $"{name.Length} Lark Lane") : null, type, [new InvoiceLine($"{type} charge", 1m, amount)]), "clerk")).Invoice;
        var unpaid = await InvoiceAsync("Ada Quinn", "ALARM", 150m);
        var partly = await InvoiceAsync("Ben Ortiz", "ALARM", 80m);
        var paid = await InvoiceAsync("Cy Marsh", "ALARM", 200m);
        var demolition = await InvoiceAsync("Dot Reyes", "DEMOLITION", 1_000m);
        var before = await InvoiceAsync("Eve Stone", "ALARM", 60m);
        var waiting = await InvoiceAsync("Fay Lund", "DEMOLITION", 400m);
        await sp.GetRequiredService<InvoiceWaivers>().RequestAsync(waiting.Number, null, "Owner in hardship", "clerk");
        var issued = unpaid.IssuedOn;
        var due = issued.AddDays(30);
        Assert.Equal(due, unpaid.DueOn);

        // Eve's bankruptcy moves what she owed into the claim; the alarm billed after the petition is stayed.
        await sp.GetRequiredService<BankruptcyCases>().FileAsync(new BankruptcyFiling("26-bk-20001", BankruptcyChapter.Chapter7, "Bankr. D. Or.", issued, null, "Lee Park, attorney",
            null, [before.AccountNumber], "case-eve"), "collector");
        var stayed = await InvoiceAsync("Eve Stone", "ALARM", 120m, before.CustomerId);

        async Task<long> AccountIdAsync(InvoiceView invoice) => await db.Accounts.Where(a => a.AccountNumber == invoice.AccountNumber).Select(a => a.Id).SingleAsync();
        await sp.GetRequiredService<PaymentBatchPoster>().PostAsync(
        [
            new PaymentInstruction(await AccountIdAsync(partly), Money.FromCents(5_000), issued.AddDays(5), Tender.Check, PaymentSource.Mail, "101"),
            new PaymentInstruction(await AccountIdAsync(paid), Money.FromCents(20_000), issued.AddDays(10), Tender.Check, PaymentSource.Mail, "102"),
        ], "cashier", default);
        db.ChangeTracker.Clear();

        var statements = sp.GetRequiredService<InvoiceStatements>();
        var outcomes = new Dictionary<DateOnly, StatementRunOutcome>();
        for (var day = due; day <= due.AddDays(25); day = day.AddDays(1))
        {
            outcomes[day] = await statements.ProduceAsync(day, "system");
        }

        // The reminder at 10 days past due, to Ada and to Ben (30.00 still open, over the 10.00 the step needs); the demolition has its statement instead.
        Assert.Equal(0, outcomes[due.AddDays(9)].Notices);
        Assert.Equal(2, outcomes[due.AddDays(10)].Notices);
        var notices = await db.InvoiceStatements.AsNoTracking().Where(s => s.Notice != null).OrderBy(s => s.StatementDate).ThenBy(s => s.InvoiceId).ToListAsync();
        Assert.Equal(
            [
                (unpaid.Number, 1, StepKind.Reminder, due.AddDays(10), 150_00L),
                (partly.Number, 1, StepKind.Reminder, due.AddDays(10), 30_00L),
                (unpaid.Number, 2, StepKind.FinalNotice, due.AddDays(20), 155_00L),
                (partly.Number, 2, StepKind.FinalNotice, due.AddDays(20), 35_00L),
            ],
            notices.Select(n => (n.InvoiceId, n.Sequence, n.Notice!.Value, n.StatementDate, n.OpenCents)));
        Assert.Single(await db.InvoiceStatements.AsNoTracking().Where(s => s.InvoiceId == demolition.Number).ToListAsync());

        // The late charges on the first day after the 10 grace days: 1.5% of what is unpaid, at least 5.00; none for the paid alarm or the stayed one.
        Assert.Equal(0, outcomes[due.AddDays(10)].LateCharges);
        Assert.Equal((3, 25_00L), (outcomes[due.AddDays(11)].LateCharges, outcomes[due.AddDays(11)].LateChargeTotal.Cents));
        var charges = await db.InvoiceLateCharges.AsNoTracking().OrderBy(l => l.InvoiceId).ToListAsync();
        Assert.Equal([(unpaid.Number, 5_00L), (partly.Number, 5_00L), (demolition.Number, 15_00L)], charges.Select(c => (c.InvoiceId, c.AmountCents)));
        Assert.All(charges, c => Assert.Equal(due.AddDays(11), c.ChargedOn));
        Assert.Contains("1.5% of $30.00 past due = $0.45, raised to the $5.00 minimum", charges[1].Explanation, StringComparison.Ordinal);
        // Held: Fay's demolition, its waiver waiting, from its first statement on (its late charge due too after the grace days, still one invoice held);
        // Eve's stayed alarm from the day its reminder would go.
        Assert.All(outcomes.Where(o => o.Key > due), o => Assert.Equal(o.Key >= due.AddDays(10) ? 2 : 1, o.Value.HeldForWaiver));
        Assert.DoesNotContain(charges, c => c.InvoiceId == waiting.Number);
        Assert.DoesNotContain(charges, c => c.InvoiceId == stayed.Number || c.InvoiceId == paid.Number);

        // Each late charge is credited to its type's revenue account.
        var lines = await (from l in db.InvoiceLateCharges
                           join g in db.GlEntries on l.FinancialTransactionId equals g.FinancialTransactionId
                           where g.CreditCents > 0
                           orderby l.InvoiceId
                           select new { l.InvoiceId, g.GlAccount, g.CreditCents }).ToListAsync();
        Assert.Equal([(unpaid.Number, "4820", 5_00L), (partly.Number, "4820", 5_00L), (demolition.Number, "4840", 15_00L)], lines.Select(l => (l.InvoiceId, l.GlAccount, l.CreditCents)));

        // A second run of the day posts and writes nothing again.
        var again = await statements.ProduceAsync(due.AddDays(11), "system");
        Assert.Equal((0, 0, 0), (again.LateCharges, again.Created, again.Notices));
        Assert.Equal(3, await db.InvoiceLateCharges.CountAsync());

        // The books tie out; the late charges age with their invoices' types.
        var trial = await new LedgerReports(db).TrialBalanceAsync();
        Assert.True(trial.Balances && trial.TiesToSubLedger, $"debits {trial.TotalDebits} credits {trial.TotalCredits}, AR {trial.ReceivableControl} against {trial.SubLedgerTotal}");
        var aging = await new ReceivablesAging(db).RunAsync(due.AddDays(25), false);
        Assert.Equal(155_00L + 35_00L + 120_00L, aging.ByType.Single(t => t.Code == "ALARM").Buckets.Total.Cents);
        Assert.Equal(1_015_00L + 400_00L, aging.ByType.Single(t => t.Code == "DEMOLITION").Buckets.Total.Cents);
        Assert.DoesNotContain(aging.ByType, t => t.Code == ReceivablesAging.OtherCity);

        // The invoice shows its late charge, and the debt check asks for both.
        var activity = await sp.GetRequiredService<InvoiceQueries>().ActivityAsync(unpaid.Number);
        Assert.Contains(activity, a => a.Type == FinancialTransactionType.LateCharge && a.Amount == Money.FromCents(5_00));
        var check = await sp.GetRequiredService<DebtCheck>().ExecuteAsync(DebtCheckBy.Name, "Ada Quinn", "clerk", "screen");
        var debt = Assert.Single(Assert.Single(check.Debtors).Debts);
        Assert.Equal(155_00L, debt.Owed.Cents);
        Assert.Contains("late charge of $5.00", debt.Description, StringComparison.Ordinal);

        // The final notice prints with its heading and asks for the invoice and its late charge.
        var finalNotice = notices[2];
        Assert.NotNull(await statements.PdfAsync(finalNotice.Id));
        var listed = Assert.Single(await statements.ListAsync(null, unpaid.Number), s => s.Sequence == 2);
        Assert.Equal(("FINAL NOTICE", 155_00L), (listed.Heading, listed.Open.Cents));
    }
}
