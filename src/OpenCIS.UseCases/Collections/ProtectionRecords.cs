using System.Collections.Immutable;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Assistance;
using OpenCIS.Storage.Assistance;
using OpenCIS.Storage.Collections;

namespace OpenCIS.UseCases.Collections;

/// <summary>The protections recorded on an account, as the core reads them on a date: the daily run and the field's completion read them the same way.</summary>
internal static class ProtectionRecords
{
    public static AccountProtections Facts(IEnumerable<AccountProtection> protections, DateOnly date, IEnumerable<AssistancePledgeRow>? pledges = null)
    {
        var recorded = protections.ToList();
        var medical = recorded.Where(p => p.Kind == ProtectionKind.MedicalCertificate)
            .Select(p => new MedicalCertificate(p.Physician ?? "", p.StartsOn, Until(p) ?? p.StartsOn)).ToImmutableArray();
        var disputes = recorded.Where(p => p.Kind == ProtectionKind.Dispute)
            .Select(p => new Dispute(Core.Common.Money.FromCents(p.AmountCents ?? 0), p.StartsOn, p.EndedOn ?? (p.EndsOn is { } ends ? ends.AddDays(1) : null))).ToImmutableArray();
        return new AccountProtections(
            medical,
            recorded.Any(p => p.Kind == ProtectionKind.LifeSupport && p.IsActiveOn(date)),
            disputes,
            Pending(pledges ?? []),
            recorded.Any(p => p.Kind == ProtectionKind.BankruptcyStay && p.IsActiveOn(date)),
            recorded.Any(p => p.Kind == ProtectionKind.TenantOccupied && p.IsActiveOn(date)),
            null,
            recorded.Where(p => p.Kind == ProtectionKind.BankruptcyStay && p.IsActiveOn(date) && p.Note.Length > 0).Select(p => p.Note).FirstOrDefault());
    }

    /// <summary>
    /// An energy-assistance pledge not yet paid is money on its way, as a payment in suspense is: a pending payment of the
    /// pledged amount from the pledge until the day the agency is expected to pay, which holds the door hanger and the
    /// disconnect (the policy's pending-payment protection) and lapses on its own if the agency does not pay.
    /// </summary>
    private static ImmutableArray<PendingPayment> Pending(IEnumerable<AssistancePledgeRow> pledges) =>
        [.. pledges.Where(p => p.Status == PledgeStatus.Pledged)
            .Select(p => new PendingPayment(Core.Common.Money.FromCents(p.AmountCents), p.PledgedOn, p.ExpectedBy, $"energy assistance pledge from {p.Agency}"))];

    /// <summary>The last day a protection stands: its end date, or the day before it was ended.</summary>
    private static DateOnly? Until(AccountProtection protection) =>
        protection.EndedOn is { } ended && (protection.EndsOn is not { } ends || ended <= ends) ? ended.AddDays(-1) : protection.EndsOn;
}
