using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Ledger;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Payments;
using OpenCIS.UseCases.Reports;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The daily collections run over a small city, day by day from the due date, on both databases: late
/// charges to the cent on what is unpaid, posted to each service's late-charge revenue; notices and the
/// door hanger on their days; the disconnect list with its reasons; a protection that keeps an account off
/// it, named; a date run twice changes nothing; the books tie out.
/// </summary>
public sealed class CollectionsRunTests
{
    /// <summary>The demo policy with its winter moratorium moved past the test's weeks, so the list fills in December.</summary>
    public static string Policy() => File.ReadAllText(RepositoryExamples.Path("collections", "riverbend.yaml"))
        .Replace("from: 12-15, to: 02-28", "from: 01-15, to: 02-28", StringComparison.Ordinal);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Late_charges_notices_and_the_disconnect_list_follow_the_policy_day_by_day(TestProvider provider)
    {
        TestDatabases.Require(provider, "the collections run");
        await using var city = await PaymentCity.StartAsync(provider, "the collections run", accounts: 4);
        var imported = await city.RunAsync<ImportCollectionPolicy, CollectionPolicyImportOutcome>(i => i.ExecuteAsync("riverbend.yaml", Policy(), "supervisor"));
        Assert.True(imported.Imported, imported.Message);

        long[] ids = [.. city.Accounts.Select(a => a.AccountId)];
        Dictionary<long, (long Cents, DateOnly Due)> bills;
        await using (var db = city.Fresh())
        {
            bills = await db.Bills.Where(b => ids.Contains(b.AccountId)).ToDictionaryAsync(b => b.AccountId, b => (b.AmountDueCents, b.DueDate));
        }

        var due = bills[ids[0]].Due;
        // Account 1 pays in full by the due date; account 2 pays half; account 3 has a physician's certificate.
        city.Clock.MoveTo(due.AddDays(-2));
        await city.RunAsync<TakePayment, PaymentReceipt>(p => p.ExecuteAsync(new TakePaymentRequest(city.Accounts[1].AccountNumber, Money.FromCents(bills[ids[1]].Cents), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"));
        var half = bills[ids[2]].Cents / 2;
        await city.RunAsync<TakePayment, PaymentReceipt>(p => p.ExecuteAsync(new TakePaymentRequest(city.Accounts[2].AccountNumber, Money.FromCents(half), Tender.MoneyOrder, null, PaymentSource.Counter, null), "cashier"));
        await using (var db = city.Fresh())
        {
            db.AccountProtections.Add(AccountProtection.Enter(ids[3], ProtectionKind.MedicalCertificate, due, due.AddDays(60), "Dr. Ada Okafor", null, null, null, "oxygen concentrator", "clerk", city.Clock.Now));
            await db.SaveChangesAsync();
        }

        var last = due.AddDays(19);
        CollectionRunOutcome? outcome = null;
        for (var date = due.AddDays(1); date <= last; date = date.AddDays(1))
        {
            city.Clock.MoveTo(date);
            var day = date;
            outcome = await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(day, "system"));
            Assert.False(outcome.AlreadyCompleted);
        }

        await using (var db = city.Fresh())
        {
            var events = await db.CollectionEvents.Where(e => ids.Contains(e.AccountId)).OrderBy(e => e.Id).ToListAsync();
            var charges = events.Where(e => e.Action == CollectionAction.LateCharge).ToList();

            // 10% of what is unpaid, once per bill, on the first day after the five days of grace.
            var lateOn = due.AddDays(6);
            var expected = new Dictionary<long, long>
            {
                [ids[0]] = Money.Round(Money.FromCents(bills[ids[0]].Cents).Dollars * 0.10m).Cents,
                [ids[2]] = Money.Round(Money.FromCents(bills[ids[2]].Cents - half).Dollars * 0.10m).Cents,
                [ids[3]] = Money.Round(Money.FromCents(bills[ids[3]].Cents).Dollars * 0.10m).Cents,
            };
            Assert.Equal(expected.OrderBy(e => e.Key), charges.Select(c => new KeyValuePair<long, long>(c.AccountId, c.AmountCents!.Value)).OrderBy(e => e.Key));
            Assert.All(charges, c => Assert.Equal(lateOn, c.BusinessDate));
            Assert.DoesNotContain(events, e => e.AccountId == ids[1]);

            // Each charge is a balanced posting to the late-charge revenue of the services' funds, and an open item.
            foreach (var charge in charges)
            {
                var transaction = await db.FinancialTransactions.Include(t => t.GlEntries).SingleAsync(t => t.Id == charge.FinancialTransactionId);
                Assert.Equal(FinancialTransactionType.LateCharge, transaction.Type);
                Assert.Equal(charge.AmountCents, transaction.AmountCents);
                Assert.Equal(charge.AmountCents, transaction.GlEntries.Where(g => g.GlAccount == GlAccounts.AccountsReceivable).Sum(g => g.DebitCents));
                Assert.Equal(charge.AmountCents, transaction.GlEntries.Where(g => g.GlAccount is GlAccounts.WaterLateCharges or GlAccounts.SewerLateCharges or GlAccounts.SolidWasteLateCharges).Sum(g => g.CreditCents));
                Assert.True(transaction.GlEntries.Count(g => g.CreditCents > 0) >= 2, "the charge is split over the bill's services");

                // It names the bill it follows and that bill's posting, by which the next days' runs know the open item without reading it.
                var bill = await db.Bills.SingleAsync(b => b.AccountId == charge.AccountId);
                Assert.Equal(bill.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), charge.BillReference);
                Assert.Equal(bill.FinancialTransactionId, charge.BillTransactionId);
            }

            // The steps, in the policy's order and on their days: reminder, final notice, door hanger, disconnect eligible.
            var steps = events.Where(e => e.AccountId == ids[0] && e.Step is not null && e.Action != CollectionAction.Protected).Select(e => e.Step!.Value).ToList();
            Assert.Equal([StepKind.Reminder, StepKind.FinalNotice, StepKind.DoorHanger, StepKind.DisconnectEligible], steps);
            var doorHanger = events.Single(e => e.AccountId == ids[0] && e.Action == CollectionAction.DoorHanger);
            Assert.Equal(1500, doorHanger.AmountCents);
            Assert.NotNull(doorHanger.FinancialTransactionId);
            var final = events.Single(e => e.AccountId == ids[0] && e.Step == StepKind.FinalNotice);
            Assert.Contains("earliest disconnect date", final.Reason, StringComparison.Ordinal);

            var standing = await db.AccountCollections.SingleAsync(a => a.AccountId == ids[0]);
            Assert.True(standing.Listed);
            Assert.Equal(CollectionStatus.DisconnectEligible, standing.Status);
            Assert.Contains("shut-off notice mailed", standing.ListReason, StringComparison.Ordinal);
            Assert.Contains("no protection", standing.ListReason, StringComparison.Ordinal);
            Assert.Equal(final.BusinessDate, standing.FinalNoticeOn);
            Assert.NotNull(standing.EarliestDisconnectOn);

            var protectedStanding = await db.AccountCollections.SingleAsync(a => a.AccountId == ids[3]);
            Assert.False(protectedStanding.Listed);
            Assert.Contains("medical certificate", protectedStanding.ProtectedBy, StringComparison.OrdinalIgnoreCase);
        }

        // The disconnect list holds exactly the unprotected account; with the protected ones, the certificate is named.
        var list = await city.RunAsync<CollectionQueries, DisconnectList>(q => q.DisconnectListAsync(withProtected: false));
        Assert.Equal([city.Accounts[0].AccountNumber, .. OverMinimum(city, bills, ids, half)], list.Entries.Select(e => e.AccountNumber).Order());
        var withHeld = await city.RunAsync<CollectionQueries, DisconnectList>(q => q.DisconnectListAsync(withProtected: true));
        var held = withHeld.Entries.Single(e => e.AccountNumber == city.Accounts[3].AccountNumber);
        Assert.False(held.OnList);
        Assert.Contains("medical certificate", held.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Dr. Ada Okafor", held.Reason, StringComparison.Ordinal);
        Assert.Contains("account,", CollectionQueries.Csv(list), StringComparison.Ordinal);

        // The same date again: nothing is charged or noticed twice.
        long chargesBefore;
        await using (var db = city.Fresh())
        {
            chargesBefore = await db.FinancialTransactions.CountAsync(t => t.Type == FinancialTransactionType.LateCharge || t.Type == FinancialTransactionType.CollectionFee);
        }

        var again = await city.RunAsync<RunCollections, CollectionRunOutcome>(r => r.ExecuteAsync(last, "system"));
        Assert.True(again.AlreadyCompleted);
        await using (var db = city.Fresh())
        {
            Assert.Equal(chargesBefore, await db.FinancialTransactions.CountAsync(t => t.Type == FinancialTransactionType.LateCharge || t.Type == FinancialTransactionType.CollectionFee));
            Assert.Equal(await db.OpenItems.SumAsync(o => o.OpenCents), await db.FinancialTransactions.SumAsync(t => t.AmountCents));
        }

        await using (var reports = city.Fresh())
        {
            var month = await new LedgerReports(reports).PeriodTrialBalanceAsync(due.AddDays(-30), last);
            Assert.True(month.Balances && month.TiesToSubLedger, $"debits {month.TotalDebits} credits {month.TotalCredits}, AR {month.ReceivableClosing} against {month.SubLedgerAtClose}");
        }
    }

    /// <summary>Account 2 paid half: it is listed too when what is left is over the policy's $50 minimum.</summary>
    private static IEnumerable<string> OverMinimum(PaymentCity city, Dictionary<long, (long Cents, DateOnly Due)> bills, long[] ids, long half)
    {
        var left = bills[ids[2]].Cents - half;
        var withCharge = left + Money.Round(Money.FromCents(left).Dollars * 0.10m).Cents;
        return withCharge >= 50_00 ? [city.Accounts[2].AccountNumber] : [];
    }
}
