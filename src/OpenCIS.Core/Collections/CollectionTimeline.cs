using System.Collections.Immutable;
using OpenCIS.Core.Common;

namespace OpenCIS.Core.Collections;

/// <summary>
/// The collection rules for one account, day by day: late charges, notices, the door hanger, disconnect
/// eligibility, broken arrangements and promises, and the protections that hold a step, each with its
/// reason in words. Pure and deterministic: the same policy, account, calendar and range always give the
/// same events. The daily collections run calls it for one account and one day; <c>collections
/// simulate</c> calls it over a range. Each day of an account costs a walk over its open items and
/// payments, and allocates only the events it returns.
/// </summary>
/// <remarks>
/// Payments are applied oldest item first (bills by due date, late charges and fees on the day they are
/// posted). An item is past due the day after its due date; the account is as many days past due as its
/// oldest unpaid past-due item. A step is taken on the first day the account is far enough past due with
/// enough past due, once the step before it was taken and its notice ran out, unless a protection holds it.
/// When nothing is past due any more, the account starts again at the first step.
/// </remarks>
public static class CollectionTimeline
{
    public const int DaysMax = CollectionCalendar.DaysMax - 1;

    /// <summary>
    /// The events from <paramref name="from"/> to <paramref name="to"/>. <paramref name="history"/> is what the
    /// rules already did before <paramref name="from"/> (the daily run passes what it recorded): its late charges
    /// and fees are on the account, its bills are not charged again, and its steps are where the account stands.
    /// Step events must be those of the account's present delinquency. Arrangements and promises that ended
    /// before <paramref name="from"/> are not reported again. Without a history, the walk starts at the first step.
    /// </summary>
    public static ImmutableArray<CollectionEvent> Run(CollectionPolicy policy, CollectionAccount account, CollectionCalendar calendar, DateOnly from, DateOnly to, ImmutableArray<CollectionEvent> history = default)
    {
        if (to < from || to.DayNumber - from.DayNumber + 1 > DaysMax)
        {
            throw new DomainException($"A collections timeline covers from 1 to {DaysMax} days, not {from:yyyy-MM-dd} to {to:yyyy-MM-dd}.", "range");
        }

        var walk = Start(policy, account, calendar, from, history);
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            walk.Day(date);
        }

        return walk.Events.ToImmutable();
    }

    /// <summary>
    /// One day of the daily run: the day's events and where the account stands at its end, with the
    /// explanation in words. The same as <see cref="Run"/> over that one day.
    /// </summary>
    /// <remarks>
    /// The daily run goes on business days only: <paramref name="reportSince"/> is the day after the account's last
    /// run, so an arrangement or promise that ended on a day with no run (a weekend) is reported on the next one.
    /// </remarks>
    public static CollectionDay Day(CollectionPolicy policy, CollectionAccount account, CollectionCalendar calendar, DateOnly date, ImmutableArray<CollectionEvent> history = default, DateOnly? reportSince = null)
    {
        var walk = Start(policy, account, calendar, date, history, reportSince);
        walk.Day(date);
        return new CollectionDay(walk.Events.ToImmutable(), walk.Standing(date));
    }

    private static Walk Start(CollectionPolicy policy, CollectionAccount account, CollectionCalendar calendar, DateOnly from, ImmutableArray<CollectionEvent> history, DateOnly? reportSince = null)
    {
        if (account.Bills.Length > CollectionAccount.BillsMax || account.Payments.Length > CollectionAccount.PaymentsMax)
        {
            throw new DomainException($"An account has at most {CollectionAccount.BillsMax} bills and {CollectionAccount.PaymentsMax} payments in a timeline.", "account");
        }

        if (!policy.AppliesTo(account.AccountClass, account.DebtType))
        {
            throw new DomainException($"Policy {policy.Code} does not apply to class {CollectionText.Class(account.AccountClass)} and debt type {account.DebtType}.", "policy");
        }

        var walk = new Walk(policy, account, calendar, from, reportSince);
        if (!history.IsDefaultOrEmpty)
        {
            walk.Recall(history);
        }

        return walk;
    }

    /// <summary>What the policy calls a step, in a reason.</summary>
    public static string StepName(StepKind kind) => kind switch
    {
        StepKind.Reminder => "reminder notice",
        StepKind.FinalNotice => "final (shut-off) notice",
        StepKind.DoorHanger => "door hanger",
        _ => "disconnect eligibility",
    };

    private enum ItemKind
    {
        Bill,
        LateCharge,
        Fee,
    }

    private readonly record struct Item(DateOnly DueOn, ItemKind Kind, Money Amount, int Bill);

    /// <summary>One account's walk through the days: the state the rules carry from one day to the next.</summary>
    private sealed class Walk
    {
        private readonly CollectionPolicy policy;
        private readonly CollectionAccount account;
        private readonly CollectionCalendar calendar;
        private readonly CollectionBill[] bills;
        private readonly CollectionPayment[] payments;
        private readonly List<Item> items;
        private readonly bool[] assessed;
        private readonly ArrangementState?[] arrangementStates;
        private readonly bool[] promisesDecided;
        private int nextStep;
        private DateOnly? waitUntil;
        private DateOnly? finalNoticeOn;
        private DateOnly? doorHangerOn;
        private DateOnly? ownerNoticedOn;
        private bool listed;
        private string? heldBy;
        private string? resumeReason;
        private string? listReason;
        private DateOnly? earliestDisconnect;
        private StepKind? lastStep;

        private readonly DateOnly firstDay;

        /// <summary>Arrangements and promises that ended before this day are not reported (they were, by an earlier walk or run).</summary>
        private readonly DateOnly reportFrom;

        public Walk(CollectionPolicy policy, CollectionAccount account, CollectionCalendar calendar, DateOnly firstDay, DateOnly? reportFrom = null)
        {
            this.firstDay = firstDay;
            this.reportFrom = reportFrom is { } since && since < firstDay ? since : firstDay;
            this.policy = policy;
            this.account = account;
            this.calendar = calendar;
            bills = [.. account.Bills.OrderBy(b => b.DueDate).ThenBy(b => b.BillDate).ThenBy(b => b.Reference, StringComparer.Ordinal)];
            payments = [.. account.Payments.Where(p => !p.Applied).OrderBy(p => p.ReceivedOn)];
            items = new List<Item>(bills.Length * 2);
            for (var i = 0; i < bills.Length; i++)
            {
                items.Add(new Item(bills[i].DueDate, ItemKind.Bill, bills[i].Amount, i));
            }

            if (!account.Charges.IsDefaultOrEmpty)
            {
                foreach (var charge in account.Charges.OrderBy(c => c.DueOn))
                {
                    Insert(new Item(charge.DueOn, charge.IsLateCharge ? ItemKind.LateCharge : ItemKind.Fee, charge.Amount, -1));
                }
            }

            assessed = new bool[bills.Length];
            arrangementStates = new ArrangementState?[account.Arrangements.Length];
            promisesDecided = new bool[account.Promises.Length];
            ownerNoticedOn = account.Protections.OwnerNoticeSentOn;
        }

        public ImmutableArray<CollectionEvent>.Builder Events { get; } = ImmutableArray.CreateBuilder<CollectionEvent>();

        /// <summary>Puts back what earlier days did: charges and fees on the account, bills already looked at, the steps taken.</summary>
        public void Recall(ImmutableArray<CollectionEvent> history)
        {
            foreach (var done in history.OrderBy(e => e.Date))
            {
                if (done.Date >= firstDay)
                {
                    throw new DomainException($"The history has an event on {done.Date:yyyy-MM-dd}, not before the first day of the run ({firstDay:yyyy-MM-dd}).", "history");
                }

                if (done.Action is CollectionAction.LateCharge or CollectionAction.NoLateCharge && Array.FindIndex(bills, b => b.Reference == done.Bill) is var bill and >= 0)
                {
                    assessed[bill] = true;
                    if (done is { Action: CollectionAction.LateCharge, Amount: { } charge })
                    {
                        Insert(new Item(done.Date, ItemKind.LateCharge, charge, bill));
                    }
                }
                else if (done.Action == CollectionAction.OwnerNotice)
                {
                    ownerNoticedOn = done.Date;
                }
                else if (done.Action is CollectionAction.Notice or CollectionAction.DoorHanger or CollectionAction.DisconnectEligible && done.Step is { } kind)
                {
                    Taken(done, kind);
                }
                else if (done.Action == CollectionAction.Protected && done.Step is { } heldStep)
                {
                    Held(done.Reason, heldStep);
                }
                else if (done.Action == CollectionAction.ArrangementBroken)
                {
                    ResumeAtPolicyStep();
                }
                else if (done.Action == CollectionAction.PastDuePaid)
                {
                    StartAgain();
                }
            }
        }

        /// <summary>A protection recorded as holding a step (or taking the account off the list): the same one is not reported again.</summary>
        private void Held(string reason, StepKind step)
        {
            const string OffTheList = "off the disconnect list: ";
            if (reason.StartsWith(OffTheList, StringComparison.Ordinal))
            {
                listed = false;
                heldBy = reason[OffTheList.Length..];
                return;
            }

            var held = $"{StepName(step)} held: ";
            heldBy = reason.StartsWith(held, StringComparison.Ordinal) ? reason[held.Length..] : reason;
        }

        private void Taken(CollectionEvent done, StepKind kind)
        {
            var index = -1;
            for (var i = 0; i < policy.Steps.Length && index < 0; i++)
            {
                index = policy.Steps[i].Kind == kind ? i : -1;
            }

            if (index < 0)
            {
                return;
            }

            nextStep = index + 1;
            waitUntil = policy.Steps[index].Notice is { } notice ? calendar.NoticeEnds(done.Date, notice) : null;
            resumeReason = null;
            heldBy = null;
            lastStep = kind;
            listed = kind == StepKind.DisconnectEligible;
            listReason = listed ? done.Reason : null;
            if (kind == StepKind.FinalNotice)
            {
                finalNoticeOn = done.Date;
            }
            else if (kind == StepKind.DoorHanger)
            {
                doorHangerOn = done.Date;
                if (done.Amount is { IsPositive: true } fee)
                {
                    Insert(new Item(done.Date, ItemKind.Fee, fee, -1));
                }
            }
        }

        public void Day(DateOnly date)
        {
            AssessLateCharges(date);
            var activeArrangement = WatchArrangements(date);
            WatchPromises(date);
            var (pastDue, oldestDue) = PastDue(date);
            if (!pastDue.IsPositive)
            {
                // Said whenever the walk had state (a step taken, a step held, a resumption waiting), so a
                // day run that starts from the history knows the walk started again.
                if (nextStep > 0 || resumeReason is not null || heldBy is not null)
                {
                    Emit(date, CollectionAction.PastDuePaid, null, "nothing past due: collections end, and start again at the first step if the account falls behind");
                }

                StartAgain();
                return;
            }

            var daysPastDue = date.DayNumber - oldestDue.DayNumber;
            if (nextStep == policy.Steps.Length && nextStep > 0 && policy.Steps[^1].Kind == StepKind.DisconnectEligible && resumeReason is null)
            {
                KeepListed(date, daysPastDue, pastDue, activeArrangement);
            }
            else if (nextStep < policy.Steps.Length)
            {
                TryStep(date, daysPastDue, pastDue, oldestDue, activeArrangement);
            }
        }

        /// <summary>Where the account stands at the end of <paramref name="date"/>, in numbers and in words.</summary>
        public CollectionStanding Standing(DateOnly date)
        {
            var (pastDue, oldestDue) = PastDue(date);
            var days = pastDue.IsPositive ? date.DayNumber - oldestDue.DayNumber : 0;
            string explanation;
            if (!pastDue.IsPositive)
            {
                explanation = "nothing past due";
            }
            else if (listed)
            {
                explanation = $"on the disconnect list: {listReason}";
            }
            else if (heldBy is not null && nextStep < policy.Steps.Length)
            {
                explanation = $"{CollectionText.Days(days)} past due, {pastDue}; {StepName(policy.Steps[nextStep].Kind)} held: {heldBy}";
            }
            else if (heldBy is not null)
            {
                explanation = $"{CollectionText.Days(days)} past due, {pastDue}; off the disconnect list: {heldBy}";
            }
            else
            {
                explanation = $"{CollectionText.Days(days)} past due, {pastDue}{(lastStep is { } last ? $"; last step: {StepName(last)}" : "")}; {Next(date, oldestDue, pastDue)}";
            }

            return new CollectionStanding(pastDue, days, lastStep, listed, listed ? listReason : null, heldBy, finalNoticeOn, earliestDisconnect, explanation);
        }

        /// <summary>The next step and the first day it can be taken, in words.</summary>
        private string Next(DateOnly date, DateOnly oldestDue, Money pastDue)
        {
            if (nextStep >= policy.Steps.Length)
            {
                return "no further step";
            }

            var step = policy.Steps[nextStep];
            if (resumeReason is not null)
            {
                return $"next: {StepName(step.Kind)} ({resumeReason})";
            }

            var from = oldestDue.AddDays(step.DaysPastDue);
            if (waitUntil is { } wait && wait > from)
            {
                from = wait;
            }

            var when = from > date ? $" from {CollectionText.Date(from)}" : "";
            var minimum = pastDue < step.MinimumPastDue ? $" once {step.MinimumPastDue} is past due" : "";
            return $"next: {StepName(step.Kind)}{when}{minimum}";
        }

        private void Emit(DateOnly date, CollectionAction action, Money? amount, string reason, StepKind? step = null, string? bill = null) =>
            Events.Add(new CollectionEvent(date, action, amount, reason, step, bill));

        /// <summary>What has been paid by the end of <paramref name="date"/>, ACH debits in a file included.</summary>
        private Money PaidThrough(DateOnly date)
        {
            var total = Money.Zero;
            foreach (var payment in payments)
            {
                if (payment.ReceivedOn > date)
                {
                    break;
                }

                total += payment.Amount;
            }

            return total;
        }

        /// <summary>Sum of the items before <paramref name="index"/> in payment order, plus its own amount.</summary>
        private Money Through(int index)
        {
            var total = Money.Zero;
            for (var i = 0; i <= index; i++)
            {
                total += items[i].Amount;
            }

            return total;
        }

        private static Money Unpaid(Money through, Money amount, Money paid) =>
            Money.Max(Money.Zero, Money.Min(amount, through - paid));

        private void AssessLateCharges(DateOnly date)
        {
            var rule = policy.LateCharge;
            for (var index = 0; index < items.Count; index++)
            {
                var item = items[index];
                if (item.Kind != ItemKind.Bill || assessed[item.Bill] || date < LateCharges.AssessedFrom(rule, item.DueOn) || bills[item.Bill].BillDate > date)
                {
                    continue;
                }

                assessed[item.Bill] = true;
                var bill = bills[item.Bill];
                var through = Through(index);
                var unpaidAtDue = Unpaid(through, bill.Amount, PaidThrough(bill.DueDate));
                var paid = PaidThrough(date);
                var unpaidNow = Unpaid(through, bill.Amount, paid);
                var decision = LateCharges.Decide(rule, account.AccountClass, bill.Amount, bill.DueDate, bill.Amount - unpaidAtDue, bill.Amount - unpaidNow, LateChargesUnpaid(paid), false, date);
                if (decision.Charged && policy.Protections.BankruptcyStay && account.Protections.BankruptcyStay)
                {
                    // The automatic stay stops late charges with every other collection step while it lasts.
                    Emit(date, CollectionAction.NoLateCharge, null,
                        $"bill {bill.Reference} due {CollectionText.Date(bill.DueDate)}: not charged, {CollectionProtections.StayReason(account.Protections)}", bill: bill.Reference);
                }
                else if (decision.Charged)
                {
                    Insert(new Item(date, ItemKind.LateCharge, decision.Amount, item.Bill));
                    Emit(date, CollectionAction.LateCharge, decision.Amount, $"bill {bill.Reference} due {CollectionText.Date(bill.DueDate)}: {decision.Explanation}", bill: bill.Reference);
                }
                else if (unpaidAtDue.IsPositive)
                {
                    Emit(date, CollectionAction.NoLateCharge, null, $"bill {bill.Reference} due {CollectionText.Date(bill.DueDate)}: {decision.Explanation}", bill: bill.Reference);
                }
            }
        }

        private Money LateChargesUnpaid(Money paid)
        {
            var through = Money.Zero;
            var unpaid = Money.Zero;
            foreach (var item in items)
            {
                through += item.Amount;
                if (item.Kind == ItemKind.LateCharge)
                {
                    unpaid += Unpaid(through, item.Amount, paid);
                }
            }

            return unpaid;
        }

        /// <summary>Adds a late charge or fee in payment order: after every item due on or before its day.</summary>
        private void Insert(Item item)
        {
            var at = items.Count;
            while (at > 0 && items[at - 1].DueOn > item.DueOn)
            {
                at--;
            }

            items.Insert(at, item);
        }

        private (Money PastDue, DateOnly OldestDue) PastDue(DateOnly date)
        {
            var paid = PaidThrough(date);
            var through = Money.Zero;
            var pastDue = Money.Zero;
            var oldest = date;
            foreach (var item in items)
            {
                through += item.Amount;
                if (item.DueOn >= date)
                {
                    continue;
                }

                var unpaid = Unpaid(through, item.Amount, paid);
                if (unpaid.IsPositive)
                {
                    // Items are in due-date order, so the first unpaid one is the oldest.
                    oldest = pastDue.IsPositive ? oldest : item.DueOn;
                    pastDue += unpaid;
                }
            }

            return (pastDue, oldest);
        }

        /// <summary>The active arrangement in words (null when none), after noting any that broke or completed today.</summary>
        private string? WatchArrangements(DateOnly date)
        {
            string? active = null;
            for (var i = 0; i < account.Arrangements.Length; i++)
            {
                var arrangement = account.Arrangements[i];
                if (arrangement.CreatedOn > date || arrangementStates[i] is ArrangementState.Broken or ArrangementState.Completed)
                {
                    continue;
                }

                var status = PaymentArrangements.StatusOn(arrangement, account.Payments, policy.Arrangements.MissedInstallmentGraceDays, date);
                arrangementStates[i] = status.State;
                if (status.State != ArrangementState.Active && status.Since < reportFrom)
                {
                    continue;
                }

                switch (status.State)
                {
                    case ArrangementState.Broken:
                        Resume(date, status.Reason);
                        break;
                    case ArrangementState.Completed:
                        Emit(date, CollectionAction.ArrangementCompleted, arrangement.Amount, $"arrangement made {CollectionText.Date(arrangement.CreatedOn)} {status.Reason}");
                        break;
                    default:
                        active = $"made {CollectionText.Date(arrangement.CreatedOn)} for {arrangement.Amount}";
                        break;
                }
            }

            return active;
        }

        private void Resume(DateOnly date, string why)
        {
            Emit(date, CollectionAction.ArrangementBroken, null, $"{why}; collections resume at the {StepName(policy.Arrangements.ResumeAt)}");
            ResumeAtPolicyStep();
        }

        /// <summary>After a broken arrangement: the step the policy names is next, at once, with the reason "broken arrangement".</summary>
        private void ResumeAtPolicyStep()
        {
            var index = -1;
            for (var i = 0; i < policy.Steps.Length && index < 0; i++)
            {
                index = policy.Steps[i].Kind == policy.Arrangements.ResumeAt ? i : -1;
            }

            if (index >= 0)
            {
                nextStep = index;
                resumeReason = "broken arrangement";
                waitUntil = null;
                listed = false;
                listReason = null;
                heldBy = null;
            }
        }

        private void WatchPromises(DateOnly date)
        {
            for (var i = 0; i < account.Promises.Length; i++)
            {
                var promise = account.Promises[i];
                if (promisesDecided[i] || date <= promise.PromisedOn)
                {
                    continue;
                }

                promisesDecided[i] = true;
                if (promise.PromisedOn.AddDays(1) < reportFrom)
                {
                    continue;
                }

                var paid = PaymentArrangements.PaidBetween(promise.MadeOn, promise.PromisedOn, account.Payments);
                if (paid < promise.Amount)
                {
                    Emit(date, CollectionAction.PromiseBroken, promise.Amount,
                        $"promised {promise.Amount} by {CollectionText.Date(promise.PromisedOn)} (promise taken {CollectionText.Date(promise.MadeOn)}); {paid} came in");
                }
            }
        }

        private void StartAgain()
        {
            lastStep = null;
            listReason = null;
            earliestDisconnect = null;
            nextStep = 0;
            waitUntil = null;
            finalNoticeOn = null;
            doorHangerOn = null;
            ownerNoticedOn = account.Protections.OwnerNoticeSentOn;
            listed = false;
            heldBy = null;
            resumeReason = null;
        }

        private ProtectionFacts Facts(Money pastDue, Money stepMinimum, string? activeArrangement) =>
            new(account.AccountClass, pastDue, stepMinimum, activeArrangement, ownerNoticedOn);

        private void TryStep(DateOnly date, int daysPastDue, Money pastDue, DateOnly oldestDue, string? activeArrangement)
        {
            var step = policy.Steps[nextStep];
            var resumed = resumeReason is not null;
            if ((!resumed && (daysPastDue < step.DaysPastDue || (waitUntil is { } wait && date < wait))) || pastDue < step.MinimumPastDue)
            {
                return;
            }

            var protection = CollectionProtections.Evaluate(policy.Protections, step.Kind, date, account.Protections, Facts(pastDue, step.MinimumPastDue, activeArrangement), calendar);
            if (protection is not null)
            {
                if (heldBy != protection.Reason)
                {
                    Emit(date, CollectionAction.Protected, null, $"{StepName(step.Kind)} held: {protection.Reason}", step.Kind);
                    heldBy = protection.Reason;
                }

                return;
            }

            heldBy = null;
            var prefix = resumed ? $"{resumeReason}: " : "";
            var standing = Standing(daysPastDue, pastDue, step.MinimumPastDue);
            switch (step.Kind)
            {
                case StepKind.Reminder:
                    Emit(date, CollectionAction.Notice, null, $"{prefix}reminder notice: {standing}", step.Kind);
                    break;
                case StepKind.FinalNotice:
                    FinalNotice(date, step, oldestDue, $"{prefix}final (shut-off) notice: {standing}");
                    break;
                case StepKind.DoorHanger:
                    doorHangerOn = date;
                    var fee = policy.Fees.DoorHanger;
                    if (fee.IsPositive)
                    {
                        Insert(new Item(date, ItemKind.Fee, fee, -1));
                    }

                    var until = step.Notice is { } hung ? $"; notice of {hung}, disconnect from {CollectionText.Date(calendar.FirstAllowedDay(policy.Protections.NoDisconnectOn, calendar.NoticeEnds(date, hung)))}" : "";
                    Emit(date, CollectionAction.DoorHanger, fee.IsPositive ? fee : null, $"{prefix}door hanger: {standing}{until}{(fee.IsPositive ? $"; fee {fee}" : "")}", step.Kind);
                    break;
                default:
                    listed = true;
                    listReason = $"{prefix}{standing}; {NoticeElapsed(date)}; no protection";
                    Emit(date, CollectionAction.DisconnectEligible, pastDue, listReason, step.Kind);
                    break;
            }

            lastStep = step.Kind;

            waitUntil = step.Notice is { } notice ? calendar.NoticeEnds(date, notice) : null;
            nextStep++;
            resumeReason = null;
        }

        private static string Standing(int daysPastDue, Money pastDue, Money minimum) =>
            minimum.IsPositive ? $"{CollectionText.Days(daysPastDue)} past due, {pastDue} over the {minimum} minimum" : $"{CollectionText.Days(daysPastDue)} past due, {pastDue} outstanding";

        /// <summary>The notices the disconnect follows, and how long ago each went out.</summary>
        private string NoticeElapsed(DateOnly date)
        {
            var mailed = finalNoticeOn is { } noticed ? $"shut-off notice mailed {CollectionText.Date(noticed)}, {CollectionText.Days(date.DayNumber - noticed.DayNumber)} elapsed" : null;
            var hung = doorHangerOn is { } hanger ? $"door hanger hung {CollectionText.Date(hanger)}, {CollectionText.Days(date.DayNumber - hanger.DayNumber)} elapsed" : null;
            return mailed is not null && hung is not null ? $"{mailed}; {hung}" : mailed ?? hung ?? "no shut-off notice mailed";
        }

        private void FinalNotice(DateOnly date, CollectionStep step, DateOnly oldestDue, string reason)
        {
            finalNoticeOn = date;
            var ownerDays = account.Protections.TenantOccupied ? policy.Protections.OwnerNoticeDays : null;
            if (ownerDays is not null && ownerNoticedOn is null)
            {
                ownerNoticedOn = date;
            }

            // The earliest disconnect date: this notice's period, then each later step's threshold and notice.
            var earliest = step.Notice is { } notice ? calendar.NoticeEnds(date, notice) : date;
            for (var i = nextStep + 1; i < policy.Steps.Length; i++)
            {
                var later = policy.Steps[i];
                var threshold = oldestDue.AddDays(later.DaysPastDue);
                earliest = threshold > earliest ? threshold : earliest;
                if (later.Kind == StepKind.DisconnectEligible)
                {
                    break;
                }

                earliest = later.Notice is { } laterNotice ? calendar.NoticeEnds(earliest, laterNotice) : earliest;
            }

            if (ownerDays is { } wait && ownerNoticedOn is { } noticed && noticed.AddDays(wait) > earliest)
            {
                earliest = noticed.AddDays(wait);
            }

            // A policy with no disconnect step (a final bill's: the service is already off) threatens no disconnection,
            // so its final notice prints no date for one.
            if (!Disconnects())
            {
                earliestDisconnect = null;
                Emit(date, CollectionAction.Notice, null, $"{reason}; no disconnection under this policy", StepKind.FinalNotice);
                return;
            }

            earliest = calendar.FirstAllowedDay(policy.Protections.NoDisconnectOn, earliest);
            earliestDisconnect = earliest;
            Emit(date, CollectionAction.Notice, null, $"{reason}; earliest disconnect date {CollectionText.Date(earliest)}", StepKind.FinalNotice);
            if (ownerDays is { } ownerWait && ownerNoticedOn == date)
            {
                Emit(date, CollectionAction.OwnerNotice, null,
                    $"final notice copied to the owner of the tenant-occupied premise; disconnection waits {CollectionText.Days(ownerWait)}, to {CollectionText.Date(date.AddDays(ownerWait))}", StepKind.FinalNotice);
            }
        }

        private bool Disconnects()
        {
            foreach (var step in policy.Steps)
            {
                if (step.Kind == StepKind.DisconnectEligible)
                {
                    return true;
                }
            }

            return false;
        }

        private void KeepListed(DateOnly date, int daysPastDue, Money pastDue, string? activeArrangement)
        {
            var step = policy.Steps[^1];
            var protection = pastDue < step.MinimumPastDue
                ? new Protection("below the step's minimum", false, $"{pastDue} past due, under the {step.MinimumPastDue} the step needs")
                : CollectionProtections.Evaluate(policy.Protections, StepKind.DisconnectEligible, date, account.Protections, Facts(pastDue, step.MinimumPastDue, activeArrangement), calendar);
            if (protection is not null)
            {
                if (listed || heldBy != protection.Reason)
                {
                    Emit(date, CollectionAction.Protected, null, $"off the disconnect list: {protection.Reason}", StepKind.DisconnectEligible);
                }

                listed = false;
                listReason = null;
                heldBy = protection.Reason;
                return;
            }

            if (!listed)
            {
                listed = true;
                heldBy = null;
                listReason = $"{Standing(daysPastDue, pastDue, step.MinimumPastDue)}; {NoticeElapsed(date)}; no protection";
                Emit(date, CollectionAction.DisconnectEligible, pastDue, listReason, StepKind.DisconnectEligible);
            }
        }
    }
}
