using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Ledger;
using OpenCIS.Core.Rating;

namespace OpenCIS.Tests.Properties;

/// <summary>Generators of core inputs, shaped like what billing and the cashiers produce.</summary>
public static class Generators
{
    /// <summary>200 cases is the floor every property in this folder runs.</summary>
    public static Config Config { get; } = Config.QuickThrowOnFailure.WithMaxTest(300);

    public static Gen<long> Cents(long min, long max) => Gen.Choose(0, int.MaxValue).Select(n => min + (long)((max - min + 1) * (n / ((double)int.MaxValue + 1))));

    public static Gen<ChargeLine> ChargeLines { get; } =
        from cents in Gen.Frequency((9, Cents(0, 50_000)), (1, Cents(-5_000, -1)))
        select new ChargeLine("C", "Charge", Money.FromCents(cents), "generated", null);

    public static Gen<BillSegment> Segments { get; } =
        from service in Gen.Elements(Enum.GetValues<Service>())
        from lines in Gen.ListOf(ChargeLines).Select(l => l.Take(6).ToArray())
        select new BillSegment(new ServiceAgreementId(1), service, "T", null, null, [.. lines]);

    public static Gen<BillProposal> Bills { get; } =
        from segments in Gen.NonEmptyListOf(Segments).Select(s => s.Take(6).ToArray())
        select new BillProposal(new AccountId(1), new BillingPeriod(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31)), [.. segments]);

    public static Gen<DateOnly> Dates { get; } = Gen.Choose(0, 400).Select(d => new DateOnly(2026, 1, 1).AddDays(d));

    /// <summary>Open charges and unapplied credits with distinct keys, priorities and due dates.</summary>
    public static Gen<OpenItemBalance[]> OpenItems { get; } =
        from items in Gen.ListOf(
            from due in Dates
            from priority in Gen.Elements(10, 50, 100)
            from cents in Gen.Frequency((3, Cents(1, 100_000)), (2, Cents(-100_000, -1)), (1, Gen.Constant(0L)))
            select (due, priority, cents))
        select items.Select((item, index) => new OpenItemBalance(index, item.due, item.priority, Money.FromCents(item.cents))).ToArray();
}
