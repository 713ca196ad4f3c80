using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Liens;

namespace OpenCIS.Tests.Core.Liens;

public sealed class PremiseLiensTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);

    private static readonly LienRules Rules = new(120, Money.FromCents(250_00), 30, Money.FromCents(45_00));

    private static LienAccount Account(int days, long pastDue, bool owner = true, string? protection = null, string? agency = null, OpenLien? lien = null) =>
        new(owner, days, Money.FromCents(pastDue), protection, agency, lien);

    private static OpenLien Lien(LienStatus status, long secured, long outstanding, DateOnly? endsOn = null) =>
        new("LN-000001", status, endsOn ?? Today.AddDays(-1), Money.FromCents(secured), Money.FromCents(outstanding));

    [Fact]
    public void An_owner_responsible_balance_old_and_large_enough_is_noticed_with_the_day_filing_may_follow()
    {
        var notice = PremiseLiens.Decide(Rules, Account(120, 250_00), Today);
        Assert.Equal(LienActionKind.Notice, notice.Kind);
        Assert.Contains("filed after 2026-12-20 unless paid", notice.Reason, StringComparison.Ordinal);
        Assert.Equal(LienActionKind.None, PremiseLiens.Decide(Rules, Account(119, 900_00), Today).Kind);
        Assert.Equal(LienActionKind.None, PremiseLiens.Decide(Rules, Account(300, 249_99), Today).Kind);
    }

    [Fact]
    public void A_tenants_balance_a_protected_one_and_one_with_an_agency_get_no_lien()
    {
        Assert.Contains("does not answer", PremiseLiens.Decide(Rules, Account(200, 900_00, owner: false), Today).Reason, StringComparison.Ordinal);
        Assert.Equal("no lien: bankruptcy stay", PremiseLiens.Decide(Rules, Account(200, 900_00, protection: "bankruptcy stay"), Today).Reason);
        Assert.Equal("no lien: the balance is with Cascade Recovery Services", PremiseLiens.Decide(Rules, Account(200, 900_00, agency: "Cascade Recovery Services"), Today).Reason);
    }

    [Fact]
    public void A_noticed_lien_is_filed_only_after_its_notice_period_and_unpaid()
    {
        Assert.Equal(LienActionKind.None, PremiseLiens.Decide(Rules, Account(150, 400_00, lien: Lien(LienStatus.Noticed, 400_00, 400_00, Today)), Today).Kind);
        Assert.Equal(LienActionKind.File, PremiseLiens.Decide(Rules, Account(151, 400_00, lien: Lien(LienStatus.Noticed, 400_00, 300_00)), Today).Kind);
        Assert.Equal(LienActionKind.Satisfy, PremiseLiens.Decide(Rules, Account(0, 0, lien: Lien(LienStatus.Noticed, 400_00, 0, Today.AddDays(9))), Today).Kind);
        var waits = PremiseLiens.Decide(Rules, Account(151, 400_00, protection: "open dispute", lien: Lien(LienStatus.Noticed, 400_00, 400_00)), Today);
        Assert.Equal((LienActionKind.None, "lien LN-000001 filing waits: open dispute"), (waits.Kind, waits.Reason));
    }

    [Fact]
    public void A_filed_lien_is_marked_partly_paid_then_satisfied()
    {
        Assert.Equal(LienActionKind.None, PremiseLiens.Decide(Rules, Account(200, 445_00, lien: Lien(LienStatus.Filed, 445_00, 445_00)), Today).Kind);
        Assert.Equal(LienActionKind.MarkPartlyPaid, PremiseLiens.Decide(Rules, Account(200, 345_00, lien: Lien(LienStatus.Filed, 445_00, 345_00)), Today).Kind);
        Assert.Equal(LienActionKind.None, PremiseLiens.Decide(Rules, Account(200, 345_00, lien: Lien(LienStatus.PartlyPaid, 445_00, 300_00)), Today).Kind);
        Assert.Equal(LienActionKind.Satisfy, PremiseLiens.Decide(Rules, Account(0, 0, lien: Lien(LienStatus.PartlyPaid, 445_00, 0)), Today).Kind);
    }

    [Fact]
    public void An_open_lien_is_never_noticed_again_and_never_filed_twice()
    {
        // Whatever the facts, a lien already filed is never filed or noticed again.
        Prop.ForAll(Gen.Choose(0, 400).ToArbitrary(), Gen.Choose(0, 100_000).ToArbitrary(), Gen.Elements(LienStatus.Filed, LienStatus.PartlyPaid).ToArbitrary(),
            (days, cents, status) =>
            {
                var kind = PremiseLiens.Decide(Rules, Account(days, cents, lien: Lien(status, 100_000, cents)), Today).Kind;
                return kind is not (LienActionKind.Notice or LienActionKind.File);
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Numbers_are_written_LN_and_six_digits()
    {
        Assert.Equal("LN-000012", PremiseLiens.Number(12));
        Assert.Equal("partly paid", PremiseLiens.Words(LienStatus.PartlyPaid));
    }
}
