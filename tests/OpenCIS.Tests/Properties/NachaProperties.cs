using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments.Ach;

namespace OpenCIS.Tests.Properties;

/// <summary>Any set of debits and prenotes gives a file that reads back valid: lengths, blocking, totals, hash.</summary>
public sealed class NachaProperties
{
    private static readonly Gen<string> RoutingNumbersGen =
        from digits in Gen.ArrayOf(Gen.Choose(0, 9), 8)
        let first = string.Concat(digits)
        where first != "00000000"
        select first + RoutingNumbers.CheckDigit(first);

    private static readonly Gen<AchDebit> Debits =
        from entryClass in Gen.Elements(AchEntryClass.Ppd, AchEntryClass.Web)
        from routing in RoutingNumbersGen
        from account in Gen.Choose(1, int.MaxValue)
        from type in Gen.Elements(AchAccountType.Checking, AchAccountType.Savings)
        from prenote in Gen.Frequency((1, Gen.Constant(true)), (5, Gen.Constant(false)))
        from cents in Generators.Cents(1, 99_999_999_99)
        from name in Gen.Elements("ANN", "Zoë Ünderwood-Smith and a very long name", "", "O'BRIEN")
        select new AchDebit(entryClass, routing, account.ToString(System.Globalization.CultureInfo.InvariantCulture), type, prenote ? Money.Zero : Money.FromCents(cents), "ACCT", name, prenote, 1);

    [Fact]
    public void Any_generated_debits_make_a_file_that_validates()
    {
        var cases = Gen.ListOf(Debits).Select(d => d.Take(60).Select((debit, i) => debit with { TraceSequence = i + 1 }).ToArray());

        var property = Prop.ForAll(cases.ToArbitrary(), debits =>
        {
            var file = AchDebitFile.Build(AchOriginator.Demo, new DateOnly(2026, 12, 2), new DateTime(2026, 12, 1, 9, 0, 0), 'A', debits);
            var text = NachaWriter.Write(file);
            var records = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var read = NachaReader.Read(text);
            var expectedHash = debits.Sum(d => long.Parse(d.RoutingNumber[..8], System.Globalization.CultureInfo.InvariantCulture)) % 10_000_000_000;
            return read.IsValid
                && records.All(r => r.Length == 94)
                && records.Length % 10 == 0
                && read.Entries.Count == debits.Length
                && read.File!.EntryHash == expectedHash
                && read.File.TotalDebits == Money.Sum(debits.Select(d => d.Amount))
                && read.File.TotalCredits == Money.Zero
                && read.File.Batches.Count == debits.Select(d => d.EntryClass).Distinct().Count();
        });

        Check.One(Generators.Config, property);
    }
}

/// <summary>Any subset of a file's debits returned with any known reason reads back as exactly those returns.</summary>
public sealed class AchReturnFileProperties
{
    [Fact]
    public void Returning_any_subset_of_debits_reads_back_as_those_returns()
    {
        var cases =
            from count in Gen.Choose(1, 40)
            from amounts in Gen.ArrayOf(Generators.Cents(1, 5_000_000), count)
            from picks in Gen.ArrayOf(Gen.Elements(true, false), count)
            from reasons in Gen.ArrayOf(Gen.Elements(AchReturnReasons.All.Select(r => r.Code).ToArray()), count)
            select (amounts, picks, reasons);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var debits = c.amounts.Select((cents, i) => new AchDebit(i % 3 == 0 ? AchEntryClass.Web : AchEntryClass.Ppd, "021000021", $"A{i}", AchAccountType.Checking, Money.FromCents(cents), "X", "NAME", false, i + 1)).ToArray();
            var file = AchDebitFile.Build(AchOriginator.Demo, new DateOnly(2026, 12, 2), new DateTime(2026, 12, 1, 9, 0, 0), 'A', debits);
            var traces = file.Batches.SelectMany(b => b.Entries).ToDictionary(e => e.TraceNumber, e => e.Amount);
            var returned = c.picks.Select((pick, i) => (pick, trace: AchDebitFile.TraceNumber(AchOriginator.Demo.OriginatingDfi, i + 1), reason: c.reasons[i]))
                .Where(x => x.pick).Select(x => (x.trace, x.reason)).ToArray();
            var result = AchReturnFile.Read(NachaWriter.Write(AchReturnFile.For(file, returned, new DateOnly(2026, 12, 4))));
            return result.IsValid
                && result.Returns.Select(r => (r.OriginalTraceNumber, r.Reason.Code)).Order().SequenceEqual(returned.Order())
                && result.Returns.All(r => r.Amount == traces[r.OriginalTraceNumber]);
        });

        Check.One(Generators.Config, property);
    }
}
