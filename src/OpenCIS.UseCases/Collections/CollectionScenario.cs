using System.Collections.Immutable;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Collections;

namespace OpenCIS.UseCases.Collections;

/// <summary>One account's story for <c>collections simulate</c>: the account, the days to run, the holidays and the posted temperatures.</summary>
public sealed record CollectionScenario(CollectionAccount Account, DateOnly From, DateOnly To, HolidayCalendar Holidays, ImmutableArray<DailyTemperature> Temperatures)
{
    public CollectionCalendar Calendar() => CollectionCalendar.For(Holidays, From, To, Temperatures);
}
