using FsCheck;
using FsCheck.Fluent;
using OpenCIS.Core.Common;
using OpenCIS.Core.Deposits;
using OpenCIS.Core.Ledger;

namespace OpenCIS.Tests.Properties;

/// <summary>Deposit invariants: the liability never goes negative, and interest is non-negative and grows with the days held.</summary>
public sealed class DepositProperties
{
    [Fact]
    public void Charging_then_applying_what_is_applicable_never_leaves_the_deposit_liability_negative()
    {
        var steps = Gen.ListOf(
            from charge in Gen.Elements(true, false)
            from cents in Generators.Cents(1, 200_000)
            select (charge, cents)).Select(s => s.Take(30).ToArray());

        var property = Prop.ForAll(steps.ToArbitrary(), sequence =>
        {
            // Liability on 2200 (credits - debits) and receivable on the account, from the postings alone.
            var billed = Money.Zero;
            var applied = Money.Zero;
            var liability = Money.Zero;
            var receivable = Money.Zero;
            foreach (var (charge, cents) in sequence)
            {
                Posting posting;
                if (charge)
                {
                    posting = DepositPostingRules.ForDepositCharge(Money.FromCents(cents));
                    billed += posting.AmountOnAccount;
                }
                else
                {
                    var applicable = DepositPostingRules.ApplicableAmount(billed, applied);
                    var amount = Money.Min(applicable, Money.FromCents(cents));
                    if (amount.IsZero)
                    {
                        continue;
                    }

                    posting = DepositPostingRules.ForDepositApplication(amount);
                    applied += amount;
                }

                liability += Money.Sum(posting.Lines.Where(l => l.GlAccount == GlAccounts.CustomerDeposits).Select(l => l.Credit - l.Debit));
                receivable += posting.AmountOnAccount;
                if (liability.IsNegative || liability != billed - applied || receivable != liability || posting.TotalDebits != Money.Sum(posting.Lines.Select(l => l.Credit)))
                {
                    return false;
                }
            }

            return true;
        });

        Check.One(Generators.Config, property);
    }

    [Fact]
    public void Interest_is_never_negative_and_never_falls_as_days_or_principal_grow()
    {
        var cases =
            from principal in Generators.Cents(0, 10_000_000)
            from extra in Generators.Cents(0, 1_000_000)
            from rateBasisPoints in Gen.Choose(0, 2500)
            from days in Gen.Choose(0, 3650)
            from more in Gen.Choose(0, 400)
            select (principal, extra, rate: rateBasisPoints / 100m, days, more);

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var interest = DepositInterest.Simple(Money.FromCents(c.principal), c.rate, c.days);
            var longer = DepositInterest.Simple(Money.FromCents(c.principal), c.rate, c.days + c.more);
            var larger = DepositInterest.Simple(Money.FromCents(c.principal + c.extra), c.rate, c.days);
            return !interest.IsNegative && longer >= interest && larger >= interest;
        });

        Check.One(Generators.Config, property);
    }
}
