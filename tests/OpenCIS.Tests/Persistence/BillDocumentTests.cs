using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.Storage.Payments;
using OpenCIS.UseCases.Payments;
using OpenCIS.Storage;

namespace OpenCIS.Tests.Persistence;

/// <summary>Bills as documents and the print-vendor file, on a tiny city billed twice with a payment and an estimated read between.</summary>
public sealed class BillDocumentTests
{
    private static readonly DateOnly FirstBillDate = new(2026, 10, 5);
    private static readonly DateOnly SecondBillDate = new(2026, 11, 5);

    private sealed record City(TestDatabase Database, ServiceProvider Services, List<TinyCity.TinyAccount> Accounts, long FirstRunId, long SecondRunId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    private static async Task<City> BuildAsync(TestProvider provider)
    {
        var database = await TestDatabases.CreateAsync(provider, "bill documents");
        await database.MigrateAsync();
        var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 4);
        await TinyCity.AddReadAsync(db, accounts, FirstBillDate.AddDays(-1), 10_000);
        var first = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", FirstBillDate, "clerk");
        await scope.ServiceProvider.GetRequiredService<TakePayment>().ExecuteAsync(
            new TakePaymentRequest(accounts[0].AccountNumber, Money.FromCents(2_500), Tender.Check, "1042", PaymentSource.Counter, null), "cashier");
        db.ChangeTracker.Clear();
        await TinyCity.AddReadAsync(db, accounts.Take(3), SecondBillDate.AddDays(-1), 15_000);
        db.Reads.Add(MeterRead.Record(accounts[3].MeterId, accounts[3].WaterServicePointId, SecondBillDate.AddDays(-1), 14_000, ReadSource.Estimate,
            new ReadVerdict(ReadStatus.Estimated, ["estimated for the test"], null), DeviceFlags.None, "test", FixedClock.DemoToday));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        var second = await scope.ServiceProvider.GetRequiredService<RunBilling>().ExecuteAsync("C1", SecondBillDate, "clerk");
        Assert.Equal((4, 4), (first.BillsCreated, second.BillsCreated));
        return new City(database, services, accounts, first.RunId, second.RunId);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_bill_document_carries_what_the_bill_prints_and_its_activity_adds_up_to_its_summary(TestProvider provider)
    {
        TestDatabases.Require(provider, "bill documents");
        await using var city = await BuildAsync(provider);
        await using var scope = city.Services.CreateAsyncScope();
        var documents = scope.ServiceProvider.GetRequiredService<BillDocuments>();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var secondBillIds = await db.Bills.Where(b => b.BillingRunId == city.SecondRunId).OrderBy(b => b.Id).Select(b => b.Id).ToListAsync();

        var bills = await documents.LoadManyAsync(secondBillIds);

        Assert.Equal(secondBillIds, bills.Select(b => b.BillId).ToList());
        var paid = bills.Single(b => b.AccountNumber == city.Accounts[0].AccountNumber);
        Assert.Equal(("Customer 1", "1 Test St, Riverbend, OR 97401", "1 Test St, Riverbend, OR 97401"), (paid.CustomerName, paid.ServiceAddress.ToString(), paid.MailingAddress.ToString()));
        Assert.Equal((new DateOnly(2026, 10, 5), new DateOnly(2026, 11, 4), SecondBillDate), (paid.PeriodStart, paid.PeriodEnd, paid.BillDate));
        Assert.Equal((13_085L, -2_500L, 0L), (paid.PreviousBalanceCents, paid.PaymentsCents, paid.AdjustmentsCents));
        Assert.Equal(paid.PreviousBalanceCents + paid.PaymentsCents + paid.AdjustmentsCents + paid.CurrentChargesCents, paid.AmountDueCents);
        var payment = Assert.Single(paid.ActivitySinceLastBill);
        Assert.Equal(("Payment", -2_500L), (payment.Type, payment.AmountCents));
        Assert.Contains("reference 1042", payment.Description, StringComparison.Ordinal);

        var water = paid.Segments.Single(s => s.Service == "Water");
        Assert.Equal(("W-RES", "Residential water", "T0000001"), (water.TariffCode, water.TariffName, water.MeterSerial));
        Assert.Equal((10_000L, FirstBillDate.AddDays(-1), 15_000L, SecondBillDate.AddDays(-1), false), (water.PreviousReading!.Value, water.PreviousReadOn!.Value, water.PresentReading!.Value, water.PresentReadOn!.Value, water.PresentReadEstimated));
        Assert.Equal(("5,000 gal", 1m), (water.Usage, water.Multiplier));
        Assert.All(paid.Segments.SelectMany(s => s.Lines), line => Assert.False(string.IsNullOrWhiteSpace(line.Trace)));
        Assert.Equal(paid.CurrentChargesCents, paid.Segments.Sum(s => s.AmountCents));
        Assert.Contains("Oct 4, 2026", water.ReadsInWords, StringComparison.Ordinal);

        var estimated = bills.Single(b => b.AccountNumber == city.Accounts[3].AccountNumber).Segments.Single(s => s.Service == "Water");
        Assert.True(estimated.PresentReadEstimated);
        Assert.Contains("Estimated", estimated.ReadsInWords, StringComparison.Ordinal);

        foreach (var bill in bills)
        {
            Assert.Equal(bill.PaymentsCents, bill.ActivitySinceLastBill.Where(a => a.Type == "Payment").Sum(a => a.AmountCents));
            Assert.Equal(bill.AdjustmentsCents, bill.ActivitySinceLastBill.Where(a => a.Type != "Payment").Sum(a => a.AmountCents));
            var scan = ScanLine.Parse(bill.ScanLine);
            Assert.Equal((bill.AccountNumber, bill.BillId, bill.AmountToPayCents, bill.DueDate), (scan.AccountNumber, scan.BillNumber, scan.AmountDue.Cents, scan.DueDate));
            Assert.Contains(bill.DueDate.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture), bill.LateChargeNotice, StringComparison.Ordinal);
        }

        Assert.Equal(secondBillIds[^1], await documents.LatestBillIdAsync(city.Accounts[3].AccountNumber));
        Assert.Null(await documents.LatestBillIdAsync("99999997"));
        Assert.Null(await documents.LoadAsync(999_999));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Eight_bills_load_in_the_same_number_of_queries_as_one(TestProvider provider)
    {
        TestDatabases.Require(provider, "bill document queries");
        await using var city = await BuildAsync(provider);
        List<long> allBillIds;
        await using (var db = city.Database.Context())
        {
            allBillIds = await db.Bills.OrderBy(b => b.Id).Select(b => b.Id).ToListAsync();
        }

        Assert.Equal(8, allBillIds.Count);
        var one = await QueriesToLoadAsync(city.Database, [allBillIds[^1]]);
        var eight = await QueriesToLoadAsync(city.Database, allBillIds);

        Assert.Equal(one, eight);
        Assert.InRange(eight, 5, 11);
    }

    private static async Task<int> QueriesToLoadAsync(TestDatabase database, List<long> billIds)
    {
        var counter = new CommandCounter();
        var options = new DbContextOptionsBuilder<OpenCisDbContext>();
        DatabaseSettings.FromConnectionString(database.ConnectionString).Configure(options);
        options.AddInterceptors(counter);
        await using var db = new OpenCisDbContext(options.Options);
        var loaded = await new BillDocuments(db, BillSettings.Default).LoadManyAsync(billIds);
        Assert.Equal(billIds.Count, loaded.Count);
        return counter.Commands;
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_print_file_of_a_run_balances_in_its_trailer_and_is_the_same_whatever_the_chunk_size(TestProvider provider)
    {
        TestDatabases.Require(provider, "print-vendor export");
        await using var city = await BuildAsync(provider);
        await using var scope = city.Services.CreateAsyncScope();
        var export = scope.ServiceProvider.GetRequiredService<BillPrintExport>();

        using var whole = new StringWriter();
        var summary = await export.WriteAsync(city.SecondRunId, whole);
        export.ChunkSize = 3;
        using var chunked = new StringWriter();
        await export.WriteAsync(city.SecondRunId, chunked);

        Assert.Equal(whole.ToString(), chunked.ToString());
        var records = whole.ToString().Split(BillPrintExport.LineEnding)[..^1].Select(r => r.Split('|')).ToList();
        Assert.Equal(["H", BillPrintExport.FormatVersion, "OPENCIS-BILLS", city.SecondRunId.ToString(CultureInfo.InvariantCulture), "C1", "2026-11-05", "City of Riverbend Utilities"], records[0]);
        var fieldsPerType = new Dictionary<string, int> { ["H"] = 7, ["B"] = 24, ["S"] = 16, ["R"] = 9, ["L"] = 8, ["P"] = 6, ["M"] = 4, ["T"] = 6 };
        Assert.All(records, r => Assert.Equal(fieldsPerType[r[0]], r.Length));
        var billRecords = records.Where(r => r[0] == "B").ToList();
        var trailer = records[^1];
        Assert.Equal("T", trailer[0]);
        Assert.Equal(billRecords.Count.ToString(CultureInfo.InvariantCulture), trailer[1]);
        Assert.Equal(records.Count.ToString(CultureInfo.InvariantCulture), trailer[2]);
        Assert.Equal(billRecords.Sum(b => decimal.Parse(b[19], CultureInfo.InvariantCulture)), decimal.Parse(trailer[3], CultureInfo.InvariantCulture));
        Assert.Equal(billRecords.Sum(b => decimal.Parse(b[20], CultureInfo.InvariantCulture)), decimal.Parse(trailer[4], CultureInfo.InvariantCulture));
        Assert.Equal((4, records.Count), (summary!.Bills, summary.Records));
        Assert.All(billRecords, b => Assert.True(ScanLine.IsValid(b[22]), $"scan line {b[22]}"));
        // Each bill's lines add up to its current charges, and every line carries its trace.
        foreach (var bill in billRecords)
        {
            var lines = records.Where(r => r[0] == "L" && r[1] == bill[1]).ToList();
            Assert.Equal(decimal.Parse(bill[19], CultureInfo.InvariantCulture), lines.Sum(l => decimal.Parse(l[6], CultureInfo.InvariantCulture)));
            Assert.All(lines, l => Assert.False(string.IsNullOrWhiteSpace(l[7])));
        }

        Assert.Contains(records, r => r[0] == "S" && r[3] == "Water" && r[11] == "E");
        Assert.Contains(records, r => r[0] == "P" && r[5] == "-25.00");
        using var nothing = new StringWriter();
        Assert.Null(await export.WriteAsync(999_999, nothing));
    }

    private sealed class CommandCounter : DbCommandInterceptor
    {
        public int Commands { get; private set; }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Commands++;
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands++;
            return ValueTask.FromResult(result);
        }
    }
}
