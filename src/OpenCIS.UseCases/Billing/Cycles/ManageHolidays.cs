using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage;
using OpenCIS.Storage.Billing;

namespace OpenCIS.UseCases.Billing.Cycles;

/// <summary>Adds and removes the utility's own holidays; each change is audited under the holiday's date (yyyymmdd).</summary>
public sealed class ManageHolidays(OpenCisDbContext db, TimeProvider clock)
{
    public const int NameLengthMax = 100;

    public async Task<Holiday> AddAsync(string calendar, DateOnly date, string name, string user, CancellationToken cancellationToken = default)
    {
        if (!HolidayCalendar.RuleSets.Contains(calendar))
        {
            throw new DomainException($"'{calendar}' is not a holiday calendar; use one of {string.Join(", ", HolidayCalendar.RuleSets)}.", "calendar");
        }

        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > NameLengthMax)
        {
            throw new DomainException($"Name the holiday in 1 to {NameLengthMax} characters.", "name");
        }

        if (await db.Holidays.AnyAsync(h => h.Calendar == calendar && h.Date == date, cancellationToken))
        {
            throw new DomainException($"{date:yyyy-MM-dd} is already a holiday on the {calendar} calendar.", "date");
        }

        var holiday = new Holiday { Calendar = calendar, Date = date, Name = name.Trim() };
        db.Holidays.Add(holiday);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Holiday", AuditId(date), null, "Add holiday", null, new { holiday.Calendar, holiday.Date, holiday.Name }, null);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Someone added the same day a moment earlier: the key (calendar, date) refused the second.
            throw new DomainException($"{date:yyyy-MM-dd} is already a holiday on the {calendar} calendar.", "date");
        }

        return holiday;
    }

    public async Task RemoveAsync(string calendar, DateOnly date, string user, CancellationToken cancellationToken = default)
    {
        var holiday = await db.Holidays.SingleOrDefaultAsync(h => h.Calendar == calendar && h.Date == date, cancellationToken)
            ?? throw new DomainException($"{date:yyyy-MM-dd} is not one of the utility's own holidays on the {calendar} calendar.", "date");
        db.Holidays.Remove(holiday);
        AuditLog.Record(db, clock.GetUtcNow(), user, "Holiday", AuditId(date), null, "Remove holiday", new { holiday.Calendar, holiday.Date, holiday.Name }, null, null);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static long AuditId(DateOnly date) => (date.Year * 10_000L) + (date.Month * 100L) + date.Day;
}
