using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.UseCases.Payments.Drawers;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>A cashier's drawer from float to approval, on each database.</summary>
public sealed class DrawerWorkflowTests
{
    private static Money Cents(long cents) => Money.FromCents(cents);

    private sealed class Fixture(TestDatabase database, ServiceProvider services, AsyncServiceScope scope, List<TinyCity.TinyAccount> accounts) : IAsyncDisposable
    {
        public List<TinyCity.TinyAccount> Accounts { get; } = accounts;
        public OpenCisDbContext Db => scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        public T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();
        public OpenCisDbContext Fresh() => database.Context();
        public ServiceProvider NewServices() => database.Services();

        public async ValueTask DisposeAsync()
        {
            await scope.DisposeAsync();
            await services.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private static async Task<Fixture> StartAsync(TestProvider provider, string what)
    {
        var database = await TestDatabases.CreateAsync(provider, what);
        await database.MigrateAsync();
        var services = database.Services();
        var scope = services.CreateAsyncScope();
        var tiny = await TinyCity.BuildAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), 3);
        return new Fixture(database, services, scope, tiny);
    }

    private static DrawerPaymentRequest Pay(string account, long cents, params TenderPart[] tenders) => new(account, Cents(cents), tenders, null);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_drawer_takes_mixed_tenders_closes_blind_and_a_supervisor_approves_the_short_and_the_deposit_slip_agrees(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "drawer day");
        var opened = await city.Get<OpenDrawer>().ExecuteAsync("carla", Cents(20_000));
        var take = city.Get<TakeDrawerPayment>();

        var cash = await take.ExecuteAsync(Pay(city.Accounts[0].AccountNumber, 4_250, new TenderPart(Tender.Cash, Cents(5_000))), "carla");
        var split = await take.ExecuteAsync(Pay(city.Accounts[1].AccountNumber, 10_000,
            new TenderPart(Tender.Check, Cents(6_000), "1043"), new TenderPart(Tender.Card, Cents(2_500), CardToken: "tok_9f2a", CardLastFour: "4242"), new TenderPart(Tender.Cash, Cents(2_000))), "carla");
        await take.ExecuteAsync(Pay(city.Accounts[2].AccountNumber, 3_000, new TenderPart(Tender.MoneyOrder, Cents(3_000), "MO-77")), "carla");

        Assert.Equal(Cents(750), cash.ChangeDue);
        Assert.Equal(Cents(500), split.ChangeDue);
        Assert.Equal(3, split.Tenders.Count);
        Assert.Equal(Cents(-10_000), split.NewBalance);
        await using (var receiptDb = city.Fresh())
        {
            var printed = ReceiptPdf.Render(await new DrawerQueries(receiptDb).ReceiptAsync(split.PaymentId, CancellationToken.None), "Riverbend Utilities");
            Assert.Equal(["Check 1043 $60.00", "Card ending 4242 $25.00", "Cash $15.00", "Cash tendered $20.00", "Change $5.00", "Amount paid $100.00"],
                printed.Lines.Where(l => l.StartsWith("C", StringComparison.Ordinal) && !l.StartsWith("Cashier", StringComparison.Ordinal) || l.StartsWith("Amount", StringComparison.Ordinal)));
            Assert.DoesNotContain(printed.Lines, l => l.Contains("tok_9f2a", StringComparison.Ordinal));
            Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(printed.Pdf, 0, 4), StringComparison.Ordinal);
        }

        // Blind: the cashier counts $1.00 short in cash; expected cash is 200.00 + 42.50 + 15.00.
        var closed = await city.Get<CloseDrawer>().ExecuteAsync("carla", new Dictionary<Tender, Money>
        {
            [Tender.Cash] = Cents(25_650), [Tender.Check] = Cents(6_000), [Tender.MoneyOrder] = Cents(3_000), [Tender.Card] = Cents(2_500),
        });
        Assert.Equal(Cents(25_750), closed.Expected[Tender.Cash]);
        Assert.Equal(Cents(-100), closed.Balance.Total);
        Assert.Equal(Cents(-100), closed.Balance.OverShort[Tender.Cash]);

        var refused = await Assert.ThrowsAsync<DomainException>(() => take.ExecuteAsync(Pay(city.Accounts[0].AccountNumber, 100, new TenderPart(Tender.Cash, Cents(100))), "carla"));
        Assert.Equal("drawer", refused.Field);
        var own = await Assert.ThrowsAsync<DomainException>(() => city.Get<ApproveDrawer>().ExecuteAsync(opened.DrawerId, "carla", approverIsSupervisor: true, "self"));
        Assert.Equal("approver", own.Field);
        var clerk = await Assert.ThrowsAsync<DomainException>(() => city.Get<ApproveDrawer>().ExecuteAsync(opened.DrawerId, "billing", approverIsSupervisor: false, "ok"));
        Assert.Equal("approver", clerk.Field);

        var approved = await city.Get<ApproveDrawer>().ExecuteAsync(opened.DrawerId, "sam", approverIsSupervisor: true, "Counted twice; $1 short.");
        Assert.Equal(DrawerStatus.Approved, approved.Status);

        await using var db = city.Fresh();
        var slip = await new DrawerQueries(db).DepositSlipAsync(opened.DrawerId, CancellationToken.None);
        Assert.Equal(Cents(5_650), slip.CashDeposit);
        Assert.Equal(Cents(6_000), slip.ChecksTotal);
        Assert.Equal(Cents(3_000), slip.MoneyOrdersTotal);
        Assert.Equal(Cents(14_650), slip.DepositTotal);
        Assert.Equal(Cents(2_500), slip.CardTotal);
        Assert.Equal(["1043", "MO-77"], slip.Items.Select(i => i.Reference));
        // The drawer's payments, as posted to the ledger, equal its tenders kept.
        var posted = await db.Payments.Where(p => p.DrawerSessionId == opened.DrawerId).SumAsync(p => p.AmountCents);
        var kept = await db.PaymentTenders.Where(t => t.DrawerSessionId == opened.DrawerId).SumAsync(t => t.AmountCents);
        Assert.Equal(17_250, posted);
        Assert.Equal(posted, kept);
        Assert.Equal(posted, slip.CashDeposit.Cents + slip.ChecksTotal.Cents + slip.MoneyOrdersTotal.Cents + slip.CardTotal.Cents + slip.AchTotal.Cents + 100);
        Assert.DoesNotContain(await db.PaymentTenders.Select(t => t.CardToken).ToListAsync(), t => CardNumbers.LooksLikeCardNumber(t));

        // The cash receipts report agrees with the drawer: its receipts by tender are the drawer's expected
        // totals less the float, and the deposit slip is those receipts with the count's difference in cash.
        var report = await new DrawerQueries(db).CashReceiptsAsync(opened.BusinessDate, CancellationToken.None);
        var line = Assert.Single(report.Drawers);
        Assert.Equal(3, line.PaymentCount);
        Assert.Equal(Cents(17_250), report.Total);
        Assert.Equal(closed.Expected[Tender.Cash] - Cents(20_000), report.ByTender[Tender.Cash]);
        Assert.All(new[] { Tender.Check, Tender.MoneyOrder, Tender.Card, Tender.Ach }, t => Assert.Equal(closed.Expected[t], report.ByTender[t]));
        Assert.Equal(report.ByTender[Tender.Cash] + closed.Balance.OverShort[Tender.Cash], slip.CashDeposit);
        Assert.Equal(report.ByTender[Tender.Check], slip.ChecksTotal);
        Assert.Equal(report.ByTender[Tender.MoneyOrder], slip.MoneyOrdersTotal);
        Assert.Equal(Cents(-100), line.OverShort);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Without_an_open_drawer_there_is_no_counter_payment_and_a_cashier_has_one_open_drawer(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "drawer rules");
        var take = city.Get<TakeDrawerPayment>();
        var none = await Assert.ThrowsAsync<DomainException>(() => take.ExecuteAsync(Pay(city.Accounts[0].AccountNumber, 100, new TenderPart(Tender.Cash, Cents(100))), "carla"));
        Assert.Equal("drawer", none.Field);

        await city.Get<OpenDrawer>().ExecuteAsync("carla", Cents(10_000));
        var second = await Assert.ThrowsAsync<DomainException>(() => city.Get<OpenDrawer>().ExecuteAsync("carla", Cents(10_000)));
        Assert.Equal("drawer", second.Field);

        await city.Db.Accounts.Where(a => a.Id == city.Accounts[1].AccountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.CashOnly, true));
        var check = await Assert.ThrowsAsync<DomainException>(() => take.ExecuteAsync(Pay(city.Accounts[1].AccountNumber, 100, new TenderPart(Tender.Check, Cents(100), "55")), "carla"));
        Assert.Equal("tenders", check.Field);

        var keyed = new DrawerPaymentRequest(city.Accounts[0].AccountNumber, Cents(1_000), [new TenderPart(Tender.Cash, Cents(2_000))], "counter-1");
        var first = await take.ExecuteAsync(keyed, "carla");
        var again = await take.ExecuteAsync(keyed, "carla");
        Assert.True(again.AlreadyPosted);
        Assert.Equal(first.ReceiptNumber, again.ReceiptNumber);
        Assert.Equal(Cents(1_000), again.ChangeDue);

        await using var db = city.Fresh();
        Assert.Equal(1, await db.Payments.CountAsync());
        Assert.Equal(1, await db.DrawerSessions.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Payments_racing_the_close_either_land_before_the_count_or_are_refused(TestProvider provider)
    {
        await using var city = await StartAsync(provider, "drawer close race");
        var opened = await city.Get<OpenDrawer>().ExecuteAsync("carla", Cents(10_000));
        await using var payingServices = city.NewServices();
        await using var closingServices = city.NewServices();
        await using var payingScope = payingServices.CreateAsyncScope();
        await using var closingScope = closingServices.CreateAsyncScope();
        var take = payingScope.ServiceProvider.GetRequiredService<TakeDrawerPayment>();

        var paying = Task.Run(async () =>
        {
            var refused = 0;
            for (var i = 0; i < 20; i++)
            {
                try
                {
                    await take.ExecuteAsync(Pay(city.Accounts[i % 3].AccountNumber, 100 + i, new TenderPart(Tender.Cash, Cents(100 + i))), "carla");
                }
                catch (DomainException exception) when (exception.Field == "drawer")
                {
                    refused++;
                }
            }

            return refused;
        });
        await Task.Delay(20);
        var closed = await closingScope.ServiceProvider.GetRequiredService<CloseDrawer>().ExecuteAsync("carla", new Dictionary<Tender, Money> { [Tender.Cash] = Cents(10_000) });
        var refusedCount = await paying;

        await using var db = city.Fresh();
        var kept = await db.PaymentTenders.Where(t => t.DrawerSessionId == opened.DrawerId).SumAsync(t => t.AmountCents);
        var posted = await db.Payments.CountAsync(p => p.DrawerSessionId == opened.DrawerId);
        // Whatever the interleaving: every payment in the drawer is in its expected total, and each of the 20 either posted or was refused.
        Assert.Equal(Cents(10_000 + kept), closed.Expected[Tender.Cash]);
        Assert.Equal(20, posted + refusedCount);
        Assert.Equal(Cents(-kept), closed.Balance.Total);
    }
}
