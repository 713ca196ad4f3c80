using System.Collections.Immutable;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Invoices;

/// <summary>
/// One open invoice as its type's collection policy sees it: what it was billed, when it was due, what had been paid
/// (or adjusted or waived) of it by its due date and by today, whether it has had its late charge, and the notices
/// it has had.
/// </summary>
public sealed record InvoiceDebt(
    string TypeCode,
    Money Amount,
    DateOnly DueOn,
    Money PaidByDueDate,
    Money Open,
    bool LateCharged,
    int NoticesSent,
    DateOnly? LastNoticeOn);

/// <summary>A notice an invoice is due today: its place among the policy's notice steps (1 for the first) and the step.</summary>
public sealed record InvoiceNoticeDue(int Sequence, CollectionStep Step)
{
    public string Heading => InvoiceCollections.Heading(Step.Kind);
}

/// <summary>What the policy does to one invoice on a day: its late charge (or why none), the notice due (or none), in words.</summary>
public sealed record InvoiceCollectionDay(LateChargeDecision LateCharge, InvoiceNoticeDue? Notice, string Explanation);

/// <summary>
/// The collection of an invoice under its type's collection policy (the same format as a utility policy). Pure.
/// <list type="bullet">
/// <item>The late charge is the policy's rule applied to the invoice as to a bill: once, after the due date and the grace
/// days, on what is still unpaid of it; the invoice type's code stands for the account class, so a rule's
/// <c>exempt_classes</c> can exempt a type.</item>
/// <item>The notices are the policy's reminder and final-notice steps, in order, one a day at most: a step is taken once
/// the invoice is that many days past due with at least its minimum open and the notice period of the step before it
/// has run. Door hangers and disconnection are for services; an invoice has none, so those steps are passed over.
/// A type with a statement cycle has its statements for notices, so its policy gives it only the late charge.</item>
/// </list>
/// </summary>
public static class InvoiceCollections
{
    /// <summary>The steps an invoice can take: the notices.</summary>
    public static ImmutableArray<CollectionStep> NoticeSteps(CollectionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return [.. policy.Steps.Where(s => s.Kind is StepKind.Reminder or StepKind.FinalNotice)];
    }

    public static InvoiceCollectionDay Day(CollectionPolicy policy, InvoiceDebt invoice, bool takesNotices, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(invoice);
        var paidByDate = invoice.Amount - invoice.Open;
        var charge = LateCharges.Decide(policy.LateCharge, invoice.TypeCode, invoice.Amount, invoice.DueOn, invoice.PaidByDueDate, paidByDate, Money.Zero,
            invoice.LateCharged, date);
        var notice = takesNotices ? NoticeDue(policy, invoice, date) : null;
        var explanation = $"late charge: {charge.Explanation}; {(takesNotices ? notice is null ? NoNotice(policy, invoice, date) : $"{Heading(notice.Step.Kind).ToLowerInvariant()} due" : "notices are the type's statements")}";
        return new(charge, notice, explanation);
    }

    /// <summary>The notice step due today, or null.</summary>
    public static InvoiceNoticeDue? NoticeDue(CollectionPolicy policy, InvoiceDebt invoice, DateOnly date)
    {
        var steps = NoticeSteps(policy);
        if (invoice.NoticesSent >= steps.Length || !invoice.Open.IsPositive || invoice.DueOn >= date)
        {
            return null;
        }

        var step = steps[invoice.NoticesSent];
        var daysPastDue = date.DayNumber - invoice.DueOn.DayNumber;
        if (daysPastDue < step.DaysPastDue || invoice.Open < step.MinimumPastDue)
        {
            return null;
        }

        if (invoice.NoticesSent > 0 && invoice.LastNoticeOn is { } last && date < PeriodEnds(last, steps[invoice.NoticesSent - 1].Notice))
        {
            return null;
        }

        return new InvoiceNoticeDue(invoice.NoticesSent + 1, step);
    }

    /// <summary>The first day after a notice's period: calendar days, or weekdays for a period in business days.</summary>
    public static DateOnly PeriodEnds(DateOnly noticeOn, NoticePeriod? period)
    {
        if (period is not { Days: > 0 } p)
        {
            return noticeOn.AddDays(1);
        }

        if (!p.BusinessDays)
        {
            return noticeOn.AddDays(p.Days);
        }

        var day = noticeOn;
        for (var left = p.Days; left > 0;)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday)
            {
                left--;
            }
        }

        return day;
    }

    public static string Heading(StepKind kind) => kind == StepKind.FinalNotice ? "FINAL NOTICE" : "REMINDER";

    /// <summary>What the notice says to the party.</summary>
    public static string Message(StepKind kind, int daysPastDue) => kind == StepKind.FinalNotice
        ? $"FINAL NOTICE: this invoice is {daysPastDue} days past due. Unless it is paid or arranged, it will be referred for collection."
        : $"This invoice is {daysPastDue} days past due. Please pay it, or call us if you believe it is wrong or need time to pay.";

    private static string NoNotice(CollectionPolicy policy, InvoiceDebt invoice, DateOnly date)
    {
        var steps = NoticeSteps(policy);
        if (steps.Length == 0)
        {
            return "the policy sends no notices";
        }

        if (invoice.NoticesSent >= steps.Length)
        {
            return "every notice sent";
        }

        if (invoice.DueOn >= date || !invoice.Open.IsPositive)
        {
            return "not past due";
        }

        var step = steps[invoice.NoticesSent];
        return invoice.Open < step.MinimumPastDue
            ? $"{invoice.Open} open, under the {step.MinimumPastDue} the {Heading(step.Kind).ToLowerInvariant()} needs"
            : $"{Heading(step.Kind).ToLowerInvariant()} at {step.DaysPastDue} days past due";
    }
}
