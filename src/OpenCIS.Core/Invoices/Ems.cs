using OpenCIS.Core.Common;

namespace OpenCIS.Core.Invoices;

/// <summary>Who paid an invoice on the patient's behalf: a private insurer, Medicare or Medicaid.</summary>
public enum PayerKind
{
    Insurance,
    Medicare,
    Medicaid,
}

/// <summary>What one payer's remittance does to an invoice: the payment, the contractual adjustment, and what the patient still owes.</summary>
public sealed record RemittanceDecision(Money Paid, Money ContractualAdjustment, Money PatientResponsibility);

/// <summary>
/// A payer's remittance on an invoice (the explanation of benefits): what the payer paid, and the contractual
/// adjustment, the part of the charge above the payer's allowed amount that its contract says the city may not collect
/// from anyone. Medicaid's payment is payment in full: the patient may not be billed what it leaves, so its adjustment
/// clears the rest (and is taken as the rest when not given).
/// </summary>
public static class InsuranceRemittances
{
    public const int PayerNameLengthMax = 80;
    public const int ClaimNumberLengthMax = 40;

    public static RemittanceDecision Decide(PayerKind payer, Money open, Money paid, Money? contractualAdjustment)
    {
        if (!open.IsPositive)
        {
            throw new DomainException($"The invoice has nothing open ({open}); a remittance has nothing to pay.", "invoiceNumber");
        }

        if (paid.IsNegative)
        {
            throw new DomainException($"The payer's payment cannot be negative; {paid} was given.", "paid");
        }

        var adjustment = contractualAdjustment ?? (payer == PayerKind.Medicaid && open > paid ? open - paid : Money.Zero);
        if (adjustment.IsNegative)
        {
            throw new DomainException($"A contractual adjustment cannot be negative; {adjustment} was given.", "contractualAdjustment");
        }

        if (paid.IsZero && adjustment.IsZero)
        {
            throw new DomainException("A remittance pays or adjusts something: both are zero.", "paid");
        }

        if (paid > open)
        {
            throw new DomainException($"The payer paid {paid}, more than the {open} open on the invoice; post what is open and refund the payer the rest.", "paid");
        }

        if (paid + adjustment > open)
        {
            throw new DomainException($"The payment {paid} and the contractual adjustment {adjustment} come to {paid + adjustment}, more than the {open} open on the invoice.", "contractualAdjustment");
        }

        var left = open - paid - adjustment;
        if (payer == PayerKind.Medicaid && left.IsPositive)
        {
            throw new DomainException($"Medicaid's payment is payment in full: the patient may not be billed the {left} it leaves, so the contractual adjustment is {open - paid}.", "contractualAdjustment");
        }

        return new RemittanceDecision(paid, adjustment, left);
    }

    /// <summary>The payer as it is named on the invoice's activity: "Medicare", or the insurer's name.</summary>
    public static string PayerLabel(PayerKind kind, string payerName) => kind switch
    {
        PayerKind.Medicare => payerName.Length == 0 || payerName.Equals("Medicare", StringComparison.OrdinalIgnoreCase) ? "Medicare" : $"Medicare ({payerName})",
        PayerKind.Medicaid => payerName.Length == 0 || payerName.Equals("Medicaid", StringComparison.OrdinalIgnoreCase) ? "Medicaid" : $"Medicaid ({payerName})",
        _ => payerName,
    };
}

/// <summary>Where a hardship waiver stands: asked for, then approved (and posted) or rejected by a Supervisor.</summary>
public enum WaiverStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>
/// A hardship waiver forgives what a patient owes on an invoice (all of it, or part), for a stated reason; it is asked
/// for by one person and posted only once a Supervisor, someone else, approves it.
/// </summary>
public static class HardshipWaivers
{
    public const int ReasonLengthMax = 200;
    public const int NoteLengthMax = 200;

    /// <summary>The amount a request waives: what is open when none is given; more than zero and at most what is open.</summary>
    public static Money Requested(Money open, Money? amount, string? reason)
    {
        var trimmed = reason?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainException("A waiver needs its reason: the hardship, and what shows it (income, insurance denied, a letter on file).", "reason");
        }

        if (trimmed.Length > ReasonLengthMax)
        {
            throw new DomainException($"A waiver's reason can be at most {ReasonLengthMax} characters.", "reason");
        }

        if (!open.IsPositive)
        {
            throw new DomainException($"The invoice has nothing open ({open}); there is nothing to waive.", "invoiceNumber");
        }

        var asked = amount ?? open;
        if (!asked.IsPositive)
        {
            throw new DomainException($"A waiver must be more than zero; {asked} was given.", "amount");
        }

        return asked <= open ? asked : throw new DomainException($"The waiver asks {asked}, more than the {open} open on the invoice.", "amount");
    }

    /// <summary>
    /// What an approval posts: the amount asked, or less when payments since have left less open (never more than is
    /// open). Refused when nothing is open any more, or when the approver is the one who asked.
    /// </summary>
    public static Money ToPost(Money requested, Money openNow, string requestedBy, string approver)
    {
        if (string.Equals(requestedBy, approver, StringComparison.OrdinalIgnoreCase))
        {
            throw new DomainException($"A waiver is approved by someone other than who asked for it ({requestedBy}).", "decision");
        }

        if (!openNow.IsPositive)
        {
            throw new DomainException("The invoice has been paid since the waiver was asked for; nothing is left to waive. Reject it.", "decision");
        }

        return requested <= openNow ? requested : openNow;
    }
}

/// <summary>
/// The patient statements of an invoice type with a statement cycle (EMS: every 30 days): a statement when the
/// invoice is a cycle old (30 days), a second at two cycles (60), and a final notice at three (90); none once the
/// invoice is paid. A statement missed (the city did not run that day) is not sent late alongside a newer one: only the
/// latest one due goes.
/// </summary>
public static class InvoiceStatementCycle
{
    public const int FinalSequence = 3;

    /// <summary>Days from a statement's date to the date printed as "please pay by".</summary>
    public const int PayWithinDays = 15;

    /// <summary>The statement due today (1, 2 or the final 3), or null: none yet, or the one due has gone already.</summary>
    public static int? Due(DateOnly issuedOn, int everyDays, DateOnly today, int lastSequenceSent)
    {
        if (everyDays <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(everyDays), everyDays, "A statement cycle is a positive number of days.");
        }

        var elapsed = today.DayNumber - issuedOn.DayNumber;
        if (elapsed < everyDays)
        {
            return null;
        }

        var sequence = Math.Min(FinalSequence, elapsed / everyDays);
        return sequence > lastSequenceSent ? sequence : null;
    }

    public static string Heading(int sequence) => sequence switch
    {
        1 => "STATEMENT",
        2 => "SECOND STATEMENT",
        _ => "FINAL NOTICE",
    };

    /// <summary>What the statement says to the patient, by its place in the cycle.</summary>
    public static string Message(int sequence, int everyDays) => sequence switch
    {
        1 => $"This balance is now {everyDays} days old. If you have insurance we have not billed, call us with its details.",
        2 => $"This balance is now {2 * everyDays} days past the service date. Please pay, or call us to arrange payments or to ask about a hardship waiver.",
        _ => $"FINAL NOTICE: this balance is {FinalSequence * everyDays} days past the service date. Unless it is paid or arranged, it will be referred for collection.",
    };
}
