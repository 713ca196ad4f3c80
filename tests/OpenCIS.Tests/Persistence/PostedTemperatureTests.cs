using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Collections;

namespace OpenCIS.Tests.Persistence;

/// <summary>Posted forecasts on both databases: one per day, replaced in place and audited, a CSV all or nothing.</summary>
public sealed class PostedTemperatureTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_day_has_one_forecast_replaced_in_place_and_a_csv_posts_all_its_days_or_none(TestProvider provider)
    {
        await using var database = await TestDatabases.CreateAsync(provider, "posted temperatures");
        await database.MigrateAsync();
        await using var services = database.Services();
        await using (var scope = services.CreateAsyncScope())
        {
            var temperatures = scope.ServiceProvider.GetRequiredService<PostTemperatures>();
            await temperatures.ExecuteAsync(new DateOnly(2026, 12, 14), 18, 33, "supervisor");
            var replaced = await temperatures.ExecuteAsync(new DateOnly(2026, 12, 14), 15, 31, "admin");
            Assert.Equal((15, 31, "admin"), (replaced.LowF, replaced.HighF, replaced.PostedBy));

            var tooCold = await Assert.ThrowsAsync<DomainException>(() => temperatures.ExecuteAsync(new DateOnly(2026, 12, 15), -81, 10, "supervisor"));
            Assert.Equal("lowF", tooCold.Field);
            var tooHot = await Assert.ThrowsAsync<DomainException>(() => temperatures.ExecuteAsync(new DateOnly(2026, 12, 15), 100, 141, "supervisor"));
            Assert.Equal("highF", tooHot.Field);

            var refused = await temperatures.ImportAsync("week.csv", Encoding.UTF8.GetBytes("date,low_f,high_f\n2026-12-15,10,20\n2026-12-16,ten,20\n"), "supervisor");
            Assert.False(refused.Imported);
            Assert.Equal(("week.csv", 3, "low_f"), (refused.Errors.Single().FileName, refused.Errors.Single().Line, refused.Errors.Single().Field));

            // Columns in another order: the header names them. 12-14 is the same as on file, so unchanged.
            var imported = await temperatures.ImportAsync("week.csv", Encoding.UTF8.GetBytes("high_f,date,low_f\n31,2026-12-14,15\n20,2026-12-15,10\n12,2026-12-16,-4\n35,2026-12-13,20\n"), "supervisor");
            Assert.True(imported.Imported, imported.Message);
            Assert.Equal((3, 0), (imported.Added, imported.Replaced));

            var listed = await temperatures.ListAsync(new DateOnly(2026, 12, 14));
            Assert.Equal([new DateOnly(2026, 12, 16), new DateOnly(2026, 12, 15), new DateOnly(2026, 12, 14)], listed.Select(t => t.Date));
            Assert.Equal(-4, listed[0].LowF);
        }

        await using var db = database.Context();
        Assert.Equal(4, await db.Temperatures.CountAsync());
        Assert.Equal(1, await db.Temperatures.CountAsync(t => t.Date == new DateOnly(2026, 12, 14)));
        var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "DailyTemperature").OrderBy(a => a.Id).Select(a => new { a.EntityId, a.Action, a.User }).ToListAsync();
        Assert.Equal(
            [(20261214L, "Post temperature", "supervisor"), (20261214L, "Replace temperature", "admin"), (20261215L, "Post temperature", "supervisor"), (20261216L, "Post temperature", "supervisor"), (20261213L, "Post temperature", "supervisor")],
            audit.Select(a => (a.EntityId, a.Action, a.User)));
    }
}
