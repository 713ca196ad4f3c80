using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Core.Invoices;

/// <summary>Invoice types, drafts and standings: what is refused (naming the field), how lines round, and that every invoice posts balanced.</summary>
public sealed class InvoiceRulesTests
{
    private static readonly ChartOfAccounts Chart = ChartOfAccounts.Default.With(new GlAccountDefinition("4810", "Ambulance transport fees", "10", "General", "2310"));

    [Fact]
    public void A_type_needs_a_revenue_account_of_its_own_in_the_chart_and_sensible_terms()
    {
        var ems = InvoiceTypeDefinition.Create(" ems ", "Ambulance transport", "4810", 30, 30, true, Chart);
        Assert.Equal(("EMS", new DateOnly(2026, 12, 22)), (ems.Code, ems.DueOn(new DateOnly(2026, 11, 22))));
        Assert.Equal("revenueGlAccount", Assert.Throws<DomainException>(() => InvoiceTypeDefinition.Create("EMS", "Ambulance", "4811", 30, null, true, Chart)).Field);
        Assert.Equal("revenueGlAccount", Assert.Throws<DomainException>(() => InvoiceTypeDefinition.Create("EMS", "Ambulance", GlAccounts.WaterSales, 30, null, true, Chart)).Field);
        Assert.Equal("termsDays", Assert.Throws<DomainException>(() => InvoiceTypeDefinition.Create("EMS", "Ambulance", "4810", -1, null, true, Chart)).Field);
        Assert.Equal("statementEveryDays", Assert.Throws<DomainException>(() => InvoiceTypeDefinition.Create("EMS", "Ambulance", "4810", 30, 3, true, Chart)).Field);
        Assert.Equal("code", Assert.Throws<DomainException>(() => InvoiceTypeDefinition.Create("EMS TRANSPORT", "Ambulance", "4810", 30, null, true, Chart)).Field);
        Assert.Equal("name", Assert.Throws<DomainException>(() => InvoiceTypeDefinition.Create("EMS", " ", "4810", 30, null, true, Chart)).Field);
    }

    [Fact]
    public void A_draft_rounds_each_line_half_away_from_zero_and_names_the_line_it_refuses()
    {
        var draft = InvoiceDraft.Create("ems", [new InvoiceLine(" Mileage ", 7.4m, 18.505m), new InvoiceLine("Oxygen", 1m, 45m)], " RUN-1 ", null, "");
        Assert.Equal(("EMS", "Mileage", 136.94m, 181.94m, "RUN-1", (string?)null), (draft.TypeCode, draft.Lines[0].Description, draft.Lines[0].Amount.Dollars, draft.Total.Dollars, draft.Reference, draft.Note));
        Assert.Equal("7.4 x $18.505 = $136.94", draft.Lines[0].Trace);
        Assert.Equal("lines", Assert.Throws<DomainException>(() => InvoiceDraft.Create("EMS", [], null, null, null)).Field);
        Assert.Equal("lines[1].description", Assert.Throws<DomainException>(() => InvoiceDraft.Create("EMS", [new InvoiceLine("A", 1m, 1m), new InvoiceLine("", 1m, 1m)], null, null, null)).Field);
        Assert.Equal("lines[0].quantity", Assert.Throws<DomainException>(() => InvoiceDraft.Create("EMS", [new InvoiceLine("A", 0m, 1m)], null, null, null)).Field);
        Assert.Equal("lines[0].unitPrice", Assert.Throws<DomainException>(() => InvoiceDraft.Create("EMS", [new InvoiceLine("A", 1m, 1.00001m)], null, null, null)).Field);
        Assert.Equal("lines[0].quantity", Assert.Throws<DomainException>(() => InvoiceDraft.Create("EMS", [new InvoiceLine("A", 0.001m, 1m)], null, null, null)).Field);
        Assert.Equal("reference", Assert.Throws<DomainException>(() => InvoiceDraft.Create("EMS", [new InvoiceLine("A", 1m, 1m)], new string('R', 41), null, null)).Field);
        Assert.Equal("lines", Assert.Throws<DomainException>(() => InvoiceDraft.Create("EMS", [new InvoiceLine("A", 1_000_000m, 100_000m)], null, null, null)).Field);
    }

    [Theory]
    [InlineData(100, 100, "2026-12-01", "2026-11-22", InvoiceStanding.Open)]
    [InlineData(100, 40, "2026-12-01", "2026-11-22", InvoiceStanding.PartlyPaid)]
    [InlineData(100, 40, "2026-11-21", "2026-11-22", InvoiceStanding.PastDue)]
    [InlineData(100, 100, "2026-11-22", "2026-11-22", InvoiceStanding.Open)]
    [InlineData(100, 0, "2026-11-01", "2026-11-22", InvoiceStanding.Paid)]
    public void An_invoice_stands_by_what_is_open_and_its_due_date(long amount, long open, string dueOn, string today, InvoiceStanding expected) =>
        Assert.Equal(expected, InvoiceStandings.Of(Money.FromCents(amount), Money.FromCents(open), DateOnly.Parse(dueOn, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Every_invoice_posts_balanced_and_raises_the_account_by_the_sum_of_its_rounded_lines()
    {
        var lines = Gen.Zip(Gen.Choose(1, 40_000), Gen.Choose(1, 5_000_000))
            .Select(p => new InvoiceLine("Line", p.Item1 / 100m, p.Item2 / 10_000m))
            .ListOf().Where(l => l.Count is > 0 and <= InvoiceDraft.LinesMax);
        var property = Prop.ForAll(lines.ToArbitrary(), generated =>
        {
            var kept = generated.Where(l => l.Amount.Cents > 0).ToList();
            if (kept.Count == 0)
            {
                return true;
            }

            var draft = InvoiceDraft.Create("EMS", kept, null, null, null);
            var posting = PostingRules.ForInvoice(draft.Total, "4810");
            return posting.Lines.Sum(l => l.Debit.Cents) == posting.Lines.Sum(l => l.Credit.Cents)
                && posting.AmountOnAccount == draft.Total
                && draft.Total.Cents == kept.Sum(l => Money.Round(l.Quantity * l.UnitPrice).Cents)
                && posting.Lines.Single(l => l.GlAccount == "4810").Credit == draft.Total;
        });
        Check.One(OpenCIS.Tests.Properties.Generators.Config, property);
    }
}
