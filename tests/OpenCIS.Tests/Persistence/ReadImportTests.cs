using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.Core.Metering;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Metering;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Metering.Import;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.Storage;
using OpenCIS.Tests.Metering;

namespace OpenCIS.Tests.Persistence;

/// <summary>Read files in, validation, the review queue, and what billing does with each kind of read.</summary>
public sealed class ReadImportTests
{
    private static byte[] Csv(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\n", ["account,service_point,meter,register,read_method,read,unit,read_time,tamper_flag", .. lines]) + "\n");

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Suspect_and_rejected_reads_wait_for_review_and_bill_only_after_it(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "read import and review");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        var accounts = await TinyCity.BuildAsync(db, 3);
        var import = scope.ServiceProvider.GetRequiredService<ImportReads>();

        var file = Csv(
            $"{accounts[0].AccountNumber},,T0000001,1,AMI,6000,gal,2026-10-04T07:15:00Z,0",
            $"{accounts[1].AccountNumber},,T0000002,1,AMI,900,gal,2026-10-04T07:16:00Z,0",
            $"{accounts[2].AccountNumber},,T0000003,1,AMI,5000,gal,2026-10-04,1");
        var outcome = await import.ExecuteAsync("cycle1.csv", file, ReadFileFormat.Csv, null, "clerk");
        Assert.True(outcome.Posted, outcome.Message);
        Assert.Equal((1, 1, 1), (outcome.Valid, outcome.Suspect, outcome.Rejected));

        var again = await import.ExecuteAsync("cycle1-copy.csv", file, ReadFileFormat.Csv, null, "clerk");
        Assert.True(again.AlreadyPosted);
        Assert.Contains("nothing was imported again", again.Message, StringComparison.Ordinal);

        var review = scope.ServiceProvider.GetRequiredService<ReviewReads>();
        var queue = await review.QueueAsync("C1");
        Assert.Equal(["T0000002", "T0000003"], queue.Select(q => q.MeterSerial).Order().ToArray());
        Assert.Contains("Negative consumption", queue.Single(q => q.MeterSerial == "T0000002").Reasons, StringComparison.Ordinal);
        Assert.Contains("tampering", queue.Single(q => q.MeterSerial == "T0000003").Reasons, StringComparison.Ordinal);

        var billing = scope.ServiceProvider.GetRequiredService<RunBilling>();
        var first = await billing.ExecuteAsync("C1", new DateOnly(2026, 10, 5), "clerk");
        Assert.Equal((1, 2), (first.BillsCreated, first.Exceptions));
        var reasons = await scope.ServiceProvider.GetRequiredService<BillingQueries>().ExceptionsAsync(first.RunId);
        Assert.All(reasons, r => Assert.Contains("awaits review", r.Reason, StringComparison.Ordinal));

        await review.DecideAsync([queue.Single(q => q.MeterSerial == "T0000003").ReadId], ReviewDecision.Accept, "Tamper flag from a battery swap", null, "clerk");
        await review.DecideAsync([queue.Single(q => q.MeterSerial == "T0000002").ReadId], ReviewDecision.Correct, "Digits transposed on the handheld", 9_000, "clerk");
        Assert.Empty(await review.QueueAsync("C1"));
        await Assert.ThrowsAsync<DomainException>(() => review.DecideAsync([queue[0].ReadId], ReviewDecision.Accept, "again", null, "clerk"));

        var second = await billing.ExecuteAsync("C1", new DateOnly(2026, 10, 6), "clerk");
        Assert.Equal(2, second.BillsCreated);
        await using var check = database.Context();
        var corrected = await check.BillSegments.Where(s => s.MeterSerial == "T0000002" && s.PresentReading != null).SingleAsync();
        Assert.Equal(9_000, corrected.PresentReading);
        Assert.Equal(8_000m, corrected.UsageQuantity);
        Assert.Equal(2, await check.AuditEntries.CountAsync(a => a.EntityType == "MeterRead"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_file_in_meter_order_is_streamed_and_judged_as_the_same_reads_in_any_other_order(TestProvider provider)
    {
        // Three meters' reads for three days: one meter runs backwards, one reports tampering.
        string[] Reads(int meter) => meter switch
        {
            1 => [",,T0000001,1,AMI,5100,gal,2026-10-01,0", ",,T0000001,1,AMI,5300,gal,2026-10-02,0", ",,T0000001,1,AMI,5500,gal,2026-10-03,0"],
            2 => [",,T0000002,1,AMI,5100,gal,2026-10-01,0", ",,T0000002,1,AMI,900,gal,2026-10-02,0", ",,T0000002,1,AMI,5400,gal,2026-10-03,0"],
            _ => [",,T0000003,1,AMI,5100,gal,2026-10-01,0", ",,T0000003,1,AMI,5200,gal,2026-10-02,1", ",,T0000003,1,AMI,5300,gal,2026-10-03,0"],
        };
        var byMeter = Csv([.. Reads(1), .. Reads(2), .. Reads(3)]);
        var byDay = Csv([.. Enumerable.Range(0, 3).SelectMany(day => new[] { Reads(1)[day], Reads(2)[day], Reads(3)[day] })]);

        async Task<(ReadImportOutcome Outcome, string[] Stored)> ImportAsync(byte[] file, string name)
        {
            await using var database = await TestDatabases.CreateAsync(provider, name);
            await database.MigrateAsync();
            await using var services = database.Services();
            await using var scope = services.CreateAsyncScope();
            await TinyCity.BuildAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), 3);
            var import = scope.ServiceProvider.GetRequiredService<ImportReads>();
            import.StreamChunk = 2; // a chunk per meter, so the stages hand over several times
            var outcome = await import.ExecuteAsync(name + ".csv", file, ReadFileFormat.Csv, null, "clerk");
            await using var check = database.Context();
            var stored = await check.Reads.Where(r => r.ImportedFileId != null)
                .Join(check.Meters, r => r.MeterId, m => m.Id, (r, m) => m.Serial + " " + r.ReadOn + " " + r.Reading + " " + r.Status + " " + r.Reasons).ToListAsync();
            return (outcome, [.. stored.Order(StringComparer.Ordinal)]);
        }

        var streamed = await ImportAsync(byMeter, "reads by meter");
        var whole = await ImportAsync(byDay, "reads by day");
        Assert.True(streamed.Outcome.Posted, streamed.Outcome.Message);
        Assert.True(whole.Outcome.Posted, whole.Outcome.Message);
        Assert.Equal(9, streamed.Stored.Length);
        Assert.Equal(whole.Stored, streamed.Stored);
        Assert.Equal((whole.Outcome.Valid, whole.Outcome.Suspect, whole.Outcome.Rejected), (streamed.Outcome.Valid, streamed.Outcome.Suspect, streamed.Outcome.Rejected));
        Assert.Contains(streamed.Stored, r => r.StartsWith("T0000002 2026-10-02 900 Rejected Negative consumption", StringComparison.Ordinal));
        Assert.Contains(streamed.Stored, r => r.StartsWith("T0000003 2026-10-02 5200 Suspect", StringComparison.Ordinal) && r.Contains("tampering", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_bad_line_after_earlier_meters_were_written_leaves_nothing_of_the_file(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "bad line late in a streamed file");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        await TinyCity.BuildAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), 3);
        var import = scope.ServiceProvider.GetRequiredService<ImportReads>();
        import.StreamChunk = 2;
        var file = Csv(
            ",,T0000001,1,AMI,5100,gal,2026-10-01,0",
            ",,T0000001,1,AMI,5300,gal,2026-10-02,0",
            ",,T0000002,1,AMI,5100,gal,2026-10-01,0",
            ",,T0000002,1,AMI,5300,gal,2026-10-02,0",
            ",,T0000003,1,AMI,5100,gal,2026-10-01,0",
            ",,T0000003,1,AMI,53OO,gal,2026-10-02,0");
        var outcome = await import.ExecuteAsync("late.csv", file, ReadFileFormat.Csv, null, "clerk");

        Assert.False(outcome.Posted);
        Assert.Equal([(7, "read")], outcome.Errors.Select(e => (e.Line, e.Field)).ToArray());
        await using var check = database.Context();
        Assert.Equal(3, await check.Reads.CountAsync()); // only the initial reads
        Assert.Equal(0, await check.ImportedFiles.CountAsync());

        // Corrected, the same file imports whole.
        var fixedFile = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(file).Replace("53OO", "5300", StringComparison.Ordinal));
        var second = await import.ExecuteAsync("late-fixed.csv", fixedFile, ReadFileFormat.Csv, null, "clerk");
        Assert.True(second.Posted, second.Message);
        Assert.Equal(6, second.Total);
        Assert.Equal(9, await check.Reads.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_bad_read_file_names_every_problem_and_imports_nothing(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "bad read file");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var accounts = await TinyCity.BuildAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), 2);
        var outcome = await scope.ServiceProvider.GetRequiredService<ImportReads>().ExecuteAsync("bad.csv", Csv(
            ",,T0000001,1,AMI,6000,gal,2026-10-04,0",
            ",,X9999999,1,AMI,6000,gal,2026-10-04,0",
            ",,T0000002,1,AMI,6000,furlongs,2026-10-04,0",
            ",,T0000002,1,AMI,6k,gal,2026-10-04,0",
            ",,T0000001,1,AMI,6000,gal,2026-08-01,0",
            $"{accounts[1].AccountNumber},,T0000001,1,AMI,6000,gal,2026-10-04,0"), ReadFileFormat.Csv, null, "clerk");

        Assert.False(outcome.Posted);
        Assert.Equal([(3, "meter"), (4, "unit"), (5, "read"), (6, "read_time"), (7, "account")], outcome.Errors.Select(e => (e.Line, e.Field)).ToArray());
        Assert.All(outcome.Errors, e => Assert.Equal("bad.csv", e.FileName));
        await using var check = database.Context();
        Assert.Equal(2, await check.Reads.CountAsync()); // only the two initial reads
        Assert.Equal(0, await check.ImportedFiles.CountAsync());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Green_button_interval_use_since_the_last_read_becomes_one_billing_read(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "green button import");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        await TinyCity.BuildAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), 1);
        // Hourly use of 6 gal from 2026-08-30 (before the last read, so not counted) to the end of 2026-10-04.
        var start = new DateTimeOffset(2026, 8, 30, 0, 0, 0, TimeSpan.Zero);
        var hours = (int)(new DateTimeOffset(2026, 10, 5, 0, 0, 0, TimeSpan.Zero) - start).TotalHours;
        const string point = "https://utility.example/espi/1_1/resource/RetailCustomer/1/UsagePoint/1";
        var xml = GreenButtonParserTests.Feed(
            GreenButtonParserTests.UsagePointEntry(point, "T0000001"),
            GreenButtonParserTests.MeterReadingEntry(point + "/MeterReading/1", "https://utility.example/espi/1_1/resource/ReadingType/1"),
            GreenButtonParserTests.ReadingTypeEntry("https://utility.example/espi/1_1/resource/ReadingType/1", "128", "0"),
            GreenButtonParserTests.IntervalBlockEntry(point + "/MeterReading/1", 1, start, Enumerable.Repeat(6L, hours).ToArray()));

        var outcome = await scope.ServiceProvider.GetRequiredService<ImportReads>().ExecuteAsync("usage.xml", Encoding.UTF8.GetBytes(xml), ReadFileFormat.GreenButton, null, "clerk");
        Assert.True(outcome.Posted, outcome.Message + string.Join("; ", outcome.Errors));
        await using var check = database.Context();
        var read = await check.Reads.OrderByDescending(r => r.Id).FirstAsync();
        Assert.Equal(new DateOnly(2026, 10, 4), read.ReadOn);
        Assert.Equal(1_000 + (33 * 24 * 6), read.Reading); // 2026-09-02 through 2026-10-04
        Assert.Equal(ReadSource.Ami, read.Source);

        var truncated = await scope.ServiceProvider.GetRequiredService<ImportReads>().ExecuteAsync("cut.xml", Encoding.UTF8.GetBytes(xml[..(xml.Length / 2)]), ReadFileFormat.GreenButton, null, "clerk");
        Assert.False(truncated.Posted);
        Assert.Contains(truncated.Errors, e => e.Line > 1);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Green_button_reactive_energy_is_kept_as_kvarh_days_beside_the_meters_own_and_never_read_as_use(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "green button kvarh");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        await TinyCity.BuildAsync(scope.ServiceProvider.GetRequiredService<OpenCisDbContext>(), 1);
        var start = new DateTimeOffset(2026, 9, 2, 7, 0, 0, TimeSpan.Zero);
        const string point = "https://utility.example/espi/1_1/resource/RetailCustomer/1/UsagePoint/1";
        const string types = "https://utility.example/espi/1_1/resource/ReadingType/";
        var xml = GreenButtonParserTests.Feed(
            GreenButtonParserTests.UsagePointEntry(point, "T0000001"),
            GreenButtonParserTests.MeterReadingEntry(point + "/MeterReading/1", types + "1"),
            GreenButtonParserTests.ReadingTypeEntry(types + "1", "128", "0"),
            GreenButtonParserTests.IntervalBlockEntry(point + "/MeterReading/1", 1, start, Enumerable.Repeat(6L, 48).ToArray()),
            // The same hours' reactive energy: 250 VArh an hour (uom 73), 0.25 kvarh.
            GreenButtonParserTests.MeterReadingEntry(point + "/MeterReading/2", types + "2"),
            GreenButtonParserTests.ReadingTypeEntry(types + "2", "73", "0"),
            GreenButtonParserTests.IntervalBlockEntry(point + "/MeterReading/2", 1, start, Enumerable.Repeat(250L, 48).ToArray()));

        var outcome = await scope.ServiceProvider.GetRequiredService<ImportReads>().ExecuteAsync("usage.xml", Encoding.UTF8.GetBytes(xml), ReadFileFormat.GreenButton, null, "clerk");
        Assert.True(outcome.Posted, outcome.Message + string.Join("; ", outcome.Errors));
        await using var check = database.Context();
        Assert.Equal(1_000 + (48 * 6), (await check.Reads.OrderByDescending(r => r.Id).FirstAsync()).Reading); // the reactive energy is no use
        var days = await check.IntervalDays.ToListAsync();
        Assert.Equal(days.Count(d => d.Unit == Unit.Gallons), days.Count(d => d.Unit == Unit.Kvarh));
        Assert.Equal(48 * 0.25m, days.Where(d => d.Unit == Unit.Kvarh).Sum(d => d.ToDay().Total));

        // A later file for the same days replaces each unit's days, and only its own.
        var again = await scope.ServiceProvider.GetRequiredService<ImportReads>().ExecuteAsync("usage-2.xml", Encoding.UTF8.GetBytes(xml.Replace(">250<", ">500<", StringComparison.Ordinal)), ReadFileFormat.GreenButton, null, "clerk");
        Assert.True(again.Posted, again.Message + string.Join("; ", again.Errors));
        await using var after = database.Context();
        var replaced = await after.IntervalDays.ToListAsync();
        Assert.Equal(days.Count, replaced.Count);
        Assert.Equal(48 * 0.5m, replaced.Where(d => d.Unit == Unit.Kvarh).Sum(d => d.ToDay().Total));
        Assert.Equal(48 * 6m, replaced.Where(d => d.Unit == Unit.Gallons).Sum(d => d.ToDay().Total));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_estimated_read_bills_as_estimated_and_the_next_actual_read_trues_it_up(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "estimate and true-up");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OpenCisDbContext>();
        await TinyCity.BuildAsync(db, 1);
        var import = scope.ServiceProvider.GetRequiredService<ImportReads>();
        var billing = scope.ServiceProvider.GetRequiredService<RunBilling>();
        var review = scope.ServiceProvider.GetRequiredService<ReviewReads>();

        await import.ExecuteAsync("oct.csv", Csv(",,T0000001,1,AMI,4300,gal,2026-10-04,0"), ReadFileFormat.Csv, null, "clerk");
        await billing.ExecuteAsync("C1", new DateOnly(2026, 10, 5), "clerk"); // 3,300 gal over 33 days: 100 a day

        await import.ExecuteAsync("nov.csv", Csv(",,T0000001,1,AMI,4350,gal,2026-11-04,1"), ReadFileFormat.Csv, null, "clerk");
        var suspect = Assert.Single(await review.QueueAsync("C1"));
        await review.DecideAsync([suspect.ReadId], ReviewDecision.Estimate, "Meter box flooded; reader could not verify", null, "clerk");
        await billing.ExecuteAsync("C1", new DateOnly(2026, 11, 5), "clerk");

        await import.ExecuteAsync("dec.csv", Csv(",,T0000001,1,AMI,10000,gal,2026-12-04,0"), ReadFileFormat.Csv, null, "clerk");
        await billing.ExecuteAsync("C1", new DateOnly(2026, 12, 5), "clerk");

        await using var check = database.Context();
        var water = await check.BillSegments.Where(s => s.Service == OpenCIS.Core.Billing.Service.Water).OrderBy(s => s.Id).ToListAsync();
        Assert.Equal(3, water.Count);
        Assert.True(water[1].PresentReadEstimated);
        Assert.Equal(3_100m, water[1].UsageQuantity); // 100 a day x 31 days, from the trailing average
        Assert.False(water[2].PresentReadEstimated);
        Assert.Equal(10_000 - 7_400, (long)water[2].UsageQuantity!.Value); // the actual read trues up from the estimate
        Assert.Equal(10_000 - 1_000, (long)water.Sum(s => s.UsageQuantity!.Value)); // over the three bills, exactly what the meter measured
    }
}
