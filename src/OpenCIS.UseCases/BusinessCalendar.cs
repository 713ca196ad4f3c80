using Microsoft.Extensions.Configuration;
using OpenCIS.Storage;

namespace OpenCIS.UseCases;

/// <summary>
/// Today's business date in the utility's own time zone, from the injected clock. The zone comes
/// from <c>OPENCIS_TIME_ZONE</c> (an IANA name such as America/Los_Angeles), else the clock's
/// local zone, so a payment taken at 5 p.m. in Oregon is not dated tomorrow by a server on UTC.
/// </summary>
public sealed class BusinessCalendar(TimeProvider clock, TimeZoneInfo zone)
{
    public TimeZoneInfo Zone { get; } = zone;

    public static BusinessCalendar FromConfiguration(TimeProvider clock, IConfiguration configuration) =>
        new(clock, configuration["OPENCIS_TIME_ZONE"] is { Length: > 0 } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : clock.LocalTimeZone);

    public DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone).DateTime);
}
