using OpenCIS.Core.Common;

namespace OpenCIS.Core.Portal;

/// <summary>
/// The fee a customer pays on top of an online card payment: a flat amount, a percent of the payment, or both; none when
/// the utility absorbs the processor's cost. The processor collects it with the payment and keeps it (the city's deposit
/// is the payment alone), so it never posts to the account or the ledger: only the payment does.
/// </summary>
public sealed record ConvenienceFee(Money Flat, decimal Percent)
{
    public static readonly ConvenienceFee None = new(Money.Zero, 0m);

    public const decimal PercentMax = 10m;

    public bool Charged => Flat.IsPositive || Percent > 0;

    /// <summary>The fee on a payment of <paramref name="amount"/>, rounded by the one rule.</summary>
    public Money For(Money amount) => Flat + Money.Round(amount.Dollars * Percent / 100m);

    /// <summary>A fee as configured, refused when negative or above <see cref="PercentMax"/> percent.</summary>
    public static ConvenienceFee Of(Money flat, decimal percent)
    {
        if (flat.Cents < 0)
        {
            throw new DomainException("A convenience fee cannot be negative.", "flat");
        }

        if (percent < 0 || percent > PercentMax)
        {
            throw new DomainException($"A convenience fee's percent is from 0 to {PercentMax}.", "percent");
        }

        return new ConvenienceFee(flat, percent);
    }
}
