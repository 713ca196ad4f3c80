using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Rating;

namespace OpenCIS.Tests.Persistence;

/// <summary>
/// The dated values tariffs name, on both databases: a value still to come is corrected, one in force (on or before the
/// business date, 2026-11-22 here) is history and refused naming the date, a CSV sets all its values or none, and every
/// value and correction is audited.
/// </summary>
public sealed class RateValueBookTests
{
    private static byte[] Csv(string text) => Encoding.UTF8.GetBytes(text);

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_value_to_come_is_corrected_a_value_in_force_is_refused_and_each_change_is_audited(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "rate values");
        await using var services = database.Services();
        await database.MigrateAsync();
        await using (var scope = services.CreateAsyncScope())
        {
            var book = scope.ServiceProvider.GetRequiredService<RateValueBook>();
            await book.SetAsync("PPA", new DateOnly(2026, 11, 1), 0.0123m, "supervisor");
            await book.SetAsync("PPA", new DateOnly(2026, 12, 1), 0.015m, "supervisor");

            // December is still to come: corrected in place.
            var corrected = await book.SetAsync("PPA", new DateOnly(2026, 12, 1), 0.0155m, "admin");
            Assert.Equal((0.0155m, "admin"), (corrected.Value, corrected.RecordedBy));

            // November has been in force since the 1st: bills were rated on it.
            var refused = await Assert.ThrowsAsync<DomainException>(() => book.SetAsync("PPA", new DateOnly(2026, 11, 1), 0.02m, "admin"));
            Assert.Equal("effectiveFrom", refused.Field);
            Assert.Equal("PPA has been 0.0123 since 2026-11-01, and a value in force is history: set a new value from a later date", refused.Message);

            // A value dated today is in force too.
            await book.SetAsync("PPA", new DateOnly(2026, 11, 22), 0.013m, "supervisor");
            Assert.Equal("effectiveFrom", (await Assert.ThrowsAsync<DomainException>(() => book.SetAsync("PPA", new DateOnly(2026, 11, 22), 0.014m, "admin"))).Field);

            // The same value again changes nothing: who set it stays.
            var again = await book.SetAsync("PPA", new DateOnly(2026, 11, 1), 0.0123m, "admin");
            Assert.Equal("supervisor", again.RecordedBy);

            Assert.Equal("value", (await Assert.ThrowsAsync<DomainException>(() => book.SetAsync("PPA", new DateOnly(2027, 1, 1), 0.0000001m, "admin"))).Field);
            Assert.Equal("value", (await Assert.ThrowsAsync<DomainException>(() => book.SetAsync("heating_value", new DateOnly(2027, 1, 1), 0m, "admin"))).Field);
            Assert.Equal("name", (await Assert.ThrowsAsync<DomainException>(() => book.SetAsync("1 PPA", new DateOnly(2027, 1, 1), 0.01m, "admin"))).Field);

            var listed = await book.ListAsync("PPA");
            Assert.Equal(
                [(new DateOnly(2026, 12, 1), 0.0155m), (new DateOnly(2026, 11, 22), 0.013m), (new DateOnly(2026, 11, 1), 0.0123m)],
                listed.Select(v => (v.EffectiveFrom, v.Value)));
        }

        await using var db = database.Context();
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "RateValue").OrderBy(a => a.Id).Select(a => new { a.EntityId, a.Action, a.User, a.Before, a.After }).ToListAsync();
        Assert.Equal(
            [(20261101L, "Set rate value", "supervisor"), (20261201L, "Set rate value", "supervisor"), (20261201L, "Correct rate value", "admin"), (20261122L, "Set rate value", "supervisor")],
            audit.Select(a => (a.EntityId, a.Action, a.User)));
        Assert.Contains("0.015", audit[2].Before, StringComparison.Ordinal);
        Assert.Contains("0.0155", audit[2].After, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_csv_sets_all_its_values_or_none_naming_each_problem_by_line_and_field(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "rate value import");
        await using var services = database.Services();
        await database.MigrateAsync();
        await using (var scope = services.CreateAsyncScope())
        {
            var book = scope.ServiceProvider.GetRequiredService<RateValueBook>();
            await book.SetAsync("PPA", new DateOnly(2026, 10, 1), 0.011m, "supervisor");
            await book.SetAsync("PPA", new DateOnly(2026, 12, 1), 0.015m, "supervisor");

            // Line 2 is good, but line 3 corrects a value in force and line 4 is not a number: nothing is set.
            var refused = await book.ImportAsync("ppa.csv", Csv("name,effective_from,value\nheating_value,2026-11-01,1.037\nPPA,2026-10-01,0.02\nPPA,2027-01-01,lots\n"), "supervisor");
            Assert.False(refused.Imported);
            Assert.Equal([("ppa.csv", 3, "effective_from"), ("ppa.csv", 4, "value")], refused.Errors.Select(e => (e.FileName, e.Line, e.Field)));
            Assert.Equal("ppa.csv has 2 problems; nothing was imported.", refused.Message);
            Assert.Empty(await book.ListAsync("heating_value"));

            // Columns in any order: a new name, a correction of December (still to come), October again unchanged.
            var imported = await book.ImportAsync("ppa.csv", Csv("value,name,effective_from\n1.037,heating_value,2026-11-01\n0.016,PPA,2026-12-01\n0.011,PPA,2026-10-01\n"), "admin");
            Assert.True(imported.Imported, imported.Message);
            Assert.Equal((1, 1), (imported.Added, imported.Corrected));
            Assert.Equal("ppa.csv: 3 values read; 1 added, 1 corrected, 1 unchanged.", imported.Message);
        }

        await using var db = database.Context();
        Assert.Equal(
            [("PPA", new DateOnly(2026, 10, 1), 0.011m), ("PPA", new DateOnly(2026, 12, 1), 0.016m), ("heating_value", new DateOnly(2026, 11, 1), 1.037m)],
            (await db.RateValues.AsNoTracking().ToListAsync()).OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.EffectiveFrom).Select(v => (v.Name, v.EffectiveFrom, v.Value)));
        var imports = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "RateValue" && a.User == "admin").OrderBy(a => a.Id).Select(a => new { a.Action, a.Reason }).ToListAsync();
        Assert.Equal([("Set rate value", "Imported from ppa.csv line 2"), ("Correct rate value", "Imported from ppa.csv line 3")], imports.Select(a => (a.Action, a.Reason)));
    }
}
