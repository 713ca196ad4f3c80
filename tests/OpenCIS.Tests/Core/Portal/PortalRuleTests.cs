using OpenCIS.Core.Common;
using OpenCIS.Core.Portal;
using OpenCIS.UseCases.Portal;

namespace OpenCIS.Tests.Core.Portal;

/// <summary>The portal's rules: which secret from a bill proves an account, the convenience fee, and that every text has its Spanish.</summary>
public sealed class PortalRuleTests
{
    private static readonly RecentBill[] Bills =
    [
        new(1001, new DateOnly(2026, 9, 5), Money.FromCents(84_10)),
        new(1042, new DateOnly(2026, 10, 5), Money.FromCents(91_00)),
        new(1077, new DateOnly(2026, 11, 5), Money.FromCents(76_55)),
    ];

    [Theory]
    [InlineData("1077", "bill 1077")]
    [InlineData(" #1042 ", "bill 1042")]
    [InlineData("76.55", "amount due on bill 1077")]
    [InlineData("$91.00", "amount due on bill 1042")]
    [InlineData("91", "amount due on bill 1042")]
    [InlineData("1001", null)]
    [InlineData("84.10", null)]
    [InlineData("76.54", null)]
    [InlineData("", null)]
    [InlineData("abc", null)]
    [InlineData("-76.55", null)]
    public void Only_the_latest_two_bills_number_or_amount_due_proves_an_account(string secret, string? proof) =>
        Assert.Equal(proof, AccountProof.Match(secret, Bills));

    [Fact]
    public void An_account_never_billed_cannot_be_proven() => Assert.Null(AccountProof.Match("0.00", []));

    [Theory]
    [InlineData(0, "0", 100_00, 0)]
    [InlineData(1_50, "0", 100_00, 1_50)]
    [InlineData(0, "2.5", 84_10, 2_10)]
    [InlineData(0, "2.5", 84_30, 2_11)]
    [InlineData(95, "1.75", 200_00, 4_45)]
    public void The_convenience_fee_is_flat_plus_a_percent_rounded_half_away_from_zero(long flat, string percent, long amount, long fee) =>
        Assert.Equal(fee, ConvenienceFee.Of(Money.FromCents(flat), decimal.Parse(percent, System.Globalization.CultureInfo.InvariantCulture)).For(Money.FromCents(amount)).Cents);

    [Fact]
    public void A_negative_or_excessive_fee_is_refused()
    {
        Assert.Equal("flat", Assert.Throws<DomainException>(() => ConvenienceFee.Of(Money.FromCents(-1), 0)).Field);
        Assert.Equal("percent", Assert.Throws<DomainException>(() => ConvenienceFee.Of(Money.Zero, 10.5m)).Field);
        Assert.False(ConvenienceFee.None.Charged);
    }

    [Fact]
    public void Every_portal_text_has_its_spanish_and_the_same_placeholders()
    {
        var keys = PortalText.Keys();
        Assert.True(keys.Count > 100, $"only {keys.Count} texts");
        var problems = new List<string>();
        foreach (var key in keys)
        {
            if (!PortalText.Has("es", key))
            {
                problems.Add($"{key}: no Spanish");
                continue;
            }

            static string Holes(string text) => string.Join(",", System.Text.RegularExpressions.Regex.Matches(text, @"\{\d+\}").Select(m => m.Value).Distinct().Order(StringComparer.Ordinal));
            if (Holes(PortalText.Get("en", key)) != Holes(PortalText.Get("es", key)))
            {
                problems.Add($"{key}: placeholders differ");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal("22 de noviembre de 2026", PortalText.Date("es", new DateOnly(2026, 11, 22)));
        Assert.Equal("November 22, 2026", PortalText.Date("en", new DateOnly(2026, 11, 22)));
        Assert.Equal(("es", "es", "en", "en"), (PortalText.Language("es-MX"), PortalText.Language("ES"), PortalText.Language("fr"), PortalText.Language(null)));
    }
}
