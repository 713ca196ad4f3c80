using Microsoft.EntityFrameworkCore;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Collections;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Core.Cases;
using OpenCIS.Storage.Cases;
using OpenCIS.Storage.Collections;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Payments;

namespace OpenCIS.UseCases.Demo;

/// <summary>The demo city's planted collections cases: who stops paying and when, and what is recorded on which day.</summary>
public sealed partial class SeedDemoCity
{
    /// <summary>An arrangement the seed makes on <paramref name="MadeOn"/>; the account pays the down payment and the first <paramref name="InstallmentsPaid"/> installments.</summary>
    private sealed record PlannedArrangement(DemoAccount Account, DateOnly MadeOn, int Installments, DateOnly FirstDueOn, int InstallmentsPaid);

    /// <summary>A promise the seed takes on <paramref name="MadeOn"/>; the account pays <paramref name="PaidCents"/> of it before the date.</summary>
    private sealed record PlannedPromise(DemoAccount Account, DateOnly MadeOn, DateOnly PromisedOn, long AmountCents, long PaidCents);

    /// <summary>
    /// What the planted collections cases do over the year. Non-payers stop paying after the city's eighth bill (the
    /// protected ones, the listed one, the arrangements and the promise); the tenant stops paying from a date; the
    /// mover stops service on a date and leaves the final bill unpaid.
    /// </summary>
    private sealed class CollectionPlan
    {
        public static CollectionPlan None { get; } = new();

        public HashSet<long> StopAfterEighthBill { get; } = [];
        public Dictionary<long, DateOnly> StopPayingFrom { get; } = [];

        /// <summary>Accounts that stopped paying and pay their bills again from a date (once they have paid what they owed).</summary>
        public Dictionary<long, DateOnly> ResumePayingFrom { get; } = [];

        /// <summary>The owners' payments on their liens: the whole balance (no amount) or an amount, on the first collections day on or after the date.</summary>
        public List<DemoLiens.Payoff> LienPayoffs { get; } = [];

        /// <summary>The lien whose release a clerk records once it is satisfied, on or after the date.</summary>
        public (long AccountId, DateOnly On)? LienRelease { get; set; }
        public List<PlannedArrangement> Arrangements { get; } = [];
        public List<PlannedPromise> Promises { get; } = [];
        public List<(DemoAccount Account, DateOnly StopOn)> MoveOuts { get; } = [];

        /// <summary>The account whose final balance the pursuit places with the agency, which then collects part of it.</summary>
        public DemoAccount? AgencyPlacement { get; set; }

        /// <summary>The account whose customer files a Chapter 13 petition on the day, and the day the trustee's first distribution comes in.</summary>
        public (DemoAccount Account, DateOnly PetitionOn, DateOnly TrusteePaysOn)? Bankruptcy { get; set; }

        /// <summary>Every account with a planted collections case: the field's demo work leaves them alone.</summary>
        public HashSet<long> Accounts { get; } = [];

        /// <summary>Whether the account pays the bill of the city's <paramref name="billIndex"/>th run, made on <paramref name="billDay"/>.</summary>
        public bool Pays(long accountId, int billIndex, DateOnly billDay) =>
            !(billIndex > 8 && StopAfterEighthBill.Contains(accountId))
            && !(StopPayingFrom.TryGetValue(accountId, out var from) && billDay >= from && !(ResumePayingFrom.TryGetValue(accountId, out var resume) && billDay >= resume));

        /// <summary>Whether the account's service stopped before <paramref name="day"/>.</summary>
        public bool MovedOut(long accountId, DateOnly day) => MoveOuts.Exists(move => move.Account.AccountId == accountId && day > move.StopOn);
    }

    /// <summary>
    /// The collections cases, planted in residential accounts that paid on time, with the real records: one non-payer
    /// left to the list and one for each protection (entered two months before the last day); an arrangement kept and
    /// one broken by a missed installment, a promise not kept, a tenant whose landlord gets the shut-off notice, and a
    /// customer who moved out leaving the final bill unpaid. Their days are chosen back from the last day so the daily
    /// runs of the year bring each to its outcome by the last day.
    /// </summary>
    private async Task<CollectionPlan> PlantCollectionCasesAsync(List<DemoAccount> accounts, Dictionary<long, PlantedCase> planted, DateOnly through, HashSet<long> moreMeters,
        CancellationToken cancellationToken)
    {
        var plan = new CollectionPlan();
        var pool = accounts.Where(a => a.Class == AccountClass.Residential && a.Habit == PayHabit.OnTime && !a.MissesLastRead && !planted.ContainsKey(a.AccountId)).Skip(20).ToList();
        // Every ninth from the pool, as the first five have always been chosen; the later cases take the fifth of each nine.
        var nonPayers = pool.Where((_, i) => i % 9 == 0).Take(5).ToList();
        PlantedCase[] cases = [PlantedCase.ListedNonPayer, PlantedCase.MedicalCertificate, PlantedCase.LifeSupport, PlantedCase.Dispute, PlantedCase.BankruptcyStay];
        var now = clock.GetUtcNow();
        var enteredOn = through.AddMonths(-2);
        foreach (var (account, kind) in nonPayers.Zip(cases))
        {
            planted[account.AccountId] = kind;
            plan.StopAfterEighthBill.Add(account.AccountId);
            var protection = kind switch
            {
                // A certificate covers 21 days at most (the policy's source, Wisconsin PSC 185.37): this one ends a week after the last day.
                PlantedCase.MedicalCertificate => AccountProtection.Enter(account.AccountId, ProtectionKind.MedicalCertificate, through.AddDays(-14), through.AddDays(7), "Dr. Maya Chen", null, null, null,
                    "Home oxygen; certificate faxed by the clinic", User, now),
                PlantedCase.LifeSupport => AccountProtection.Enter(account.AccountId, ProtectionKind.LifeSupport, enteredOn, null, null, null, null, null, "Home dialysis machine", User, now),
                PlantedCase.Dispute => AccountProtection.Enter(account.AccountId, ProtectionKind.Dispute, enteredOn, null, null, 2_000_00, null, null,
                    "Disputes the readings since the meter was moved", User, now),
                _ => null,
            };
            if (protection is not null)
            {
                db.AccountProtections.Add(protection);
            }

            if (kind == PlantedCase.BankruptcyStay)
            {
                // The case is entered on its petition day, as the collector enters it from the court's notice: the stay on the
                // account and the balance owed that day moved to the claim. The trustee's first distribution comes ten days before the last day.
                plan.Bankruptcy = (account, enteredOn, through.AddDays(-10));
            }
        }

        var later = pool.Where((_, i) => i % 9 == 4).ToList();
        var policy = CollectionPolicyYaml.Read(DemoCollections.PolicyYaml(), DemoCollections.PolicyFileName);
        var grace = policy.Arrangements.MissedInstallmentGraceDays;
        if (later.Count >= 4)
        {
            // Kept: made three months back, six monthly installments, each paid on or before its due date.
            var kept = BusinessDayOnOrAfter(through.AddMonths(-3));
            Plant(later[0], PlantedCase.ArrangementOnTrack);
            plan.StopAfterEighthBill.Add(later[0].AccountId);
            plan.Arrangements.Add(new PlannedArrangement(later[0], kept, 6, kept.AddMonths(1), 6));

            // Broken: the third installment is missed, so that its grace runs out just before the last day on a day the
            // policy lets the account go straight back on the disconnect list, and stay on it through the last day.
            var breaksOn = FirstOfDisconnectDaysThrough(policy, through);
            var missedDue = breaksOn.AddDays(-(grace + 1));
            var firstDue = missedDue.AddMonths(-2);
            Plant(later[1], PlantedCase.BrokenArrangement);
            plan.StopAfterEighthBill.Add(later[1].AccountId);
            plan.Arrangements.Add(new PlannedArrangement(later[1], BusinessDayOnOrAfter(firstDue.AddDays(-28)), 3, firstDue, 2));

            // A promise taken three and a half weeks back for two weeks on, partly paid.
            var promisedOn = BusinessDayOnOrAfter(through.AddDays(-25));
            Plant(later[2], PlantedCase.BrokenPromise);
            plan.StopAfterEighthBill.Add(later[2].AccountId);
            plan.Promises.Add(new PlannedPromise(later[2], promisedOn, promisedOn.AddDays(14), 150_00, 60_00));

            // Moved out the business day before the cycle's read in the month before the last: a whole month on the final bill.
            var mover = later[3];
            var readDay = Cycles.Single(c => c.Code == mover.CycleCode).ReadDay;
            var month = through.AddMonths(-1);
            Plant(mover, PlantedCase.FinalAccountPastDue);
            plan.MoveOuts.Add((mover, BusinessDayBefore(new DateOnly(month.Year, month.Month, readDay))));
        }

        // Moved out seven months back, the final bill never paid: the pursuit places it with the agency at 30 days past due, the agency
        // collects a fifth of it, the placement is recalled after 120 days, and by the last day it is listed ready to write off.
        // (One with its water meter only: the move-out reads that one.)
        if (pool.Where((_, i) => i % 9 == 7).FirstOrDefault(a => !moreMeters.Contains(a.AccountId) && !planted.ContainsKey(a.AccountId)) is { } placed)
        {
            var readDay = Cycles.Single(c => c.Code == placed.CycleCode).ReadDay;
            var month = through.AddMonths(-7);
            Plant(placed, PlantedCase.AgencyPlacement);
            plan.MoveOuts.Add((placed, BusinessDayBefore(new DateOnly(month.Year, month.Month, readDay))));
            plan.AgencyPlacement = placed;
        }

        // Liens, on two owner-occupied accounts that stop paying: one from the bill nine months back, noticed at 120 days past due, filed
        // with its fee when the notice period ends, then paid in full, satisfied and released; the other from the bill seven months back,
        // noticed and filed the same way and partly paid three weeks before the last day.
        var owners = pool.Where((_, i) => i % 9 == 2).Where(a => !a.Rental && !planted.ContainsKey(a.AccountId)).Take(2).ToList();
        if (owners.Count == 2)
        {
            var (paid, partly) = (owners[0], owners[1]);
            Plant(paid, PlantedCase.LienReleased);
            plan.StopPayingFrom[paid.AccountId] = CycleBillDay(paid, through.AddMonths(-9));
            var payoff = BusinessDayOnOrAfter(through.AddDays(-75));
            plan.ResumePayingFrom[paid.AccountId] = payoff;
            plan.LienPayoffs.Add(new DemoLiens.Payoff(paid.AccountId, payoff, null));
            plan.LienRelease = (paid.AccountId, BusinessDayOnOrAfter(through.AddDays(-45)));
            Plant(partly, PlantedCase.LienPartlyPaid);
            plan.StopPayingFrom[partly.AccountId] = CycleBillDay(partly, through.AddMonths(-7));
            plan.LienPayoffs.Add(new DemoLiens.Payoff(partly.AccountId, BusinessDayOnOrAfter(through.AddDays(-21)), DemoLiens.PartPaymentCents));
        }

        // A tenant on a rental premise who stops paying the bill that leaves time for the shut-off notice before the last day;
        // the landlord (the owner of record) is the recipient the tenant-occupied protection names.
        if (pool.FirstOrDefault(a => a.Rental && !planted.ContainsKey(a.AccountId)) is { } tenant)
        {
            var readDay = Cycles.Single(c => c.Code == tenant.CycleCode).ReadDay;
            var billDay = new DateOnly(through.Year, through.Month, 1).AddDays(readDay - 1);
            while (billDay.AddDays(31) > through)
            {
                billDay = billDay.AddMonths(-1);
            }

            Plant(tenant, PlantedCase.TenantOwnerNotice);
            plan.StopPayingFrom[tenant.AccountId] = billDay;
            var owner = await db.AccountCustomers.AsNoTracking().Where(r => r.AccountId == tenant.AccountId && r.Role == AccountRole.Owner)
                .Join(db.Customers.AsNoTracking(), r => r.CustomerId, c => c.Id, (_, c) => c).SingleAsync(cancellationToken);
            db.AccountProtections.Add(AccountProtection.Enter(tenant.AccountId, ProtectionKind.TenantOccupied, enteredOn, null, null, null, owner.DisplayName,
                $"{owner.MailingLine1}, {owner.MailingCity}, {owner.MailingState} {owner.MailingZip}", "Rental; the landlord asked to be told before any shut-off", User, now));
            // The landlord's agreement: when the tenant moves out, service reverts to the landlord from the next day.
            var premiseId = await db.Accounts.AsNoTracking().Where(a => a.Id == tenant.AccountId).Select(a => a.PremiseId!.Value).SingleAsync(cancellationToken);
            db.LandlordAgreements.Add(new LandlordAgreement { PremiseId = premiseId, OwnerCustomerId = owner.Id, StartedOn = enteredOn, CreatedBy = User, CreatedAt = now });
        }

        await db.SaveChangesAsync(cancellationToken);

        // The planted dispute came in as a billing dispute case, the clerk's and overdue by the last day; a
        // high-bill investigation waits unassigned in the Billing queue.
        foreach (var accountId in planted.Where(p => p.Value == PlantedCase.Dispute).Select(p => p.Key))
        {
            var dispute = await db.AccountProtections.SingleAsync(p => p.AccountId == accountId && p.Kind == ProtectionKind.Dispute, cancellationToken);
            var billingDispute = AccountCase.Open(accountId, CaseKind.BillingDispute, "Disputes the readings since the meter was moved", dispute.Note, dispute.AmountCents, "clerk", dispute.StartsOn, User, now);
            billingDispute.LinkProtection(dispute.Id);
            db.AccountCases.Add(billingDispute);
        }

        if (pool.Count > 1)
        {
            db.AccountCases.Add(AccountCase.Open(pool[1].AccountId, CaseKind.HighBillInvestigation, "Last bill much higher than usual", "Customer reports no change in household or use",
                null, null, through.AddDays(-3), User, now));
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        plan.Accounts.UnionWith(planted.Where(p => p.Value >= PlantedCase.ListedNonPayer).Select(p => p.Key));
        return plan;

        void Plant(DemoAccount account, PlantedCase kind) => planted[account.AccountId] = kind;
    }

    /// <summary>The day the account's cycle reads (and bills) in the month of <paramref name="month"/>.</summary>
    private static DateOnly CycleBillDay(DemoAccount account, DateOnly month) =>
        new DateOnly(month.Year, month.Month, 1).AddDays(Cycles.Single(c => c.Code == account.CycleCode).ReadDay - 1);

    /// <summary>The demo city's Chapter 13 case, entered on the stayed account's petition day.</summary>
    public const string DemoBankruptcyCase = "26-bk-31207";

    /// <summary>
    /// The plan's records for <paramref name="day"/>, made as the use cases make them, before the day's payments post and
    /// its collections run: an arrangement (with its payments scheduled), a promise (with its part payment), a move-out.
    /// </summary>
    private async Task ActOnCollectionPlanAsync(CollectionPlan plan, DateOnly day, SortedDictionary<DateOnly, List<PaymentInstruction>> scheduled, Dictionary<long, long> registers, CancellationToken cancellationToken)
    {
        foreach (var planned in plan.Arrangements.Where(a => a.MadeOn == day))
        {
            await MakeArrangementAsync(planned, scheduled, cancellationToken);
        }

        foreach (var promise in plan.Promises.Where(p => p.MadeOn == day))
        {
            // The same checks and record as a collector's promise; the part payment comes in three days before the date.
            TakePromise.Add(db, promise.Account.AccountId, new PromiseTerms(promise.PromisedOn, Money.FromCents(promise.AmountCents)), null, day, User, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            Schedule(scheduled, promise.Account, promise.PromisedOn.AddDays(-3), Money.FromCents(promise.PaidCents));
        }

        if (plan.Bankruptcy is { } bankruptcy && bankruptcy.PetitionOn == day)
        {
            var number = await db.Accounts.AsNoTracking().Where(a => a.Id == bankruptcy.Account.AccountId).Select(a => a.AccountNumber).SingleAsync(cancellationToken);
            await bankruptcies.FileOnAsync(new Bankruptcy.BankruptcyFiling(DemoBankruptcyCase, Core.Bankruptcy.BankruptcyChapter.Chapter13, "Bankr. D. Or.", day, null,
                "Morgan Ellis, Ellis & Ruiz LLP", "Dana Whitcomb, Chapter 13 trustee", [number]), User, day, cancellationToken);
            db.ChangeTracker.Clear();
        }

        if (plan.Bankruptcy is { } plan13 && plan13.TrusteePaysOn == day)
        {
            // The plan's first distribution: a fifth of the claim, by the trustee's check.
            var claim = (await bankruptcies.FindAsync(DemoBankruptcyCase, cancellationToken)).Remaining;
            if (claim.IsPositive)
            {
                await bankruptcies.PayOnAsync(new Bankruptcy.TrusteePaymentRequest(DemoBankruptcyCase, Money.Max(Money.FromCents(1), Money.Round(claim.Dollars / 5m)), Tender.Check, "TR-100482"),
                    User, day, cancellationToken);
                db.ChangeTracker.Clear();
            }
        }

        foreach (var move in plan.MoveOuts.Where(m => m.StopOn == day))
        {
            await MoveOutAsync(move.Account, day, registers, cancellationToken);
        }
    }

    /// <summary>An arrangement of the account's past due on the day, terms the policy allows (checked by the same rule the use case uses).</summary>
    private async Task MakeArrangementAsync(PlannedArrangement planned, SortedDictionary<DateOnly, List<PaymentInstruction>> scheduled, CancellationToken cancellationToken)
    {
        var accountId = planned.Account.AccountId;
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == accountId, cancellationToken);
        var limits = await CreateArrangement.LimitsAsync(db, account, planned.MadeOn, cancellationToken);
        var pastDue = await CreateArrangement.PastDueAsync(db, accountId, planned.MadeOn, cancellationToken);
        var balance = Money.FromCents(await db.OpenItems.Where(o => o.AccountId == accountId).SumAsync(o => (long?)o.OpenCents, cancellationToken) ?? 0);
        var down = Money.Round(pastDue.Dollars * limits.MinimumDownPaymentPercent / 100m);
        PaymentArrangements.Validate(limits, balance, pastDue, down, planned.Installments, 0);
        var terms = new PaymentArrangement(planned.MadeOn, pastDue, down, PaymentArrangements.Schedule(pastDue, down, planned.Installments, planned.FirstDueOn));
        db.Arrangements.Add(Arrangement.Create(accountId, terms, null, null, "collector", clock.GetUtcNow()));
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        // The down payment the day it is made, and each kept installment on the last business day on or before its due date.
        Schedule(scheduled, planned.Account, planned.MadeOn, down);
        foreach (var installment in terms.Installments.Take(planned.InstallmentsPaid))
        {
            Schedule(scheduled, planned.Account, BusinessDayOnOrBefore(installment.DueOn), installment.Amount);
        }
    }

    /// <summary>Service stopped through the real stop-service use case, dated the stop day: the final read, the final bill, the account final-billed.</summary>
    private async Task MoveOutAsync(DemoAccount mover, DateOnly day, Dictionary<long, long> registers, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == mover.AccountId, cancellationToken);
        var meter = await db.Meters.AsNoTracking().SingleAsync(m => m.Id == mover.MeterId, cancellationToken);
        // Most of a month's use since the last read, with no random draw: the city's draws stay as they were.
        var usage = (long)Math.Round(5200.0 * mover.UsageFactor * 0.9 / (double)mover.Multiplier);
        var reading = (registers[meter.Id] + usage) % meter.Register.Maximum;
        registers[meter.Id] = reading;
        var dayClock = new DayClock(day, calendar.Zone);
        var stop = new StopService(db, conversion, new BusinessCalendar(dayClock, calendar.Zone), dayClock, Core.Deposits.DepositPolicy.Default, letters);
        await stop.ExecuteAsync(new StopServiceRequest(account.AccountNumber, day, [new FinalReading(meter.Serial, reading)], "Move-out: the tenant left town"), User, cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static void Schedule(SortedDictionary<DateOnly, List<PaymentInstruction>> scheduled, DemoAccount account, DateOnly on, Money amount)
    {
        if (!scheduled.TryGetValue(on, out var list))
        {
            scheduled[on] = list = [];
        }

        list.Add(new PaymentInstruction(account.AccountId, amount, on, account.Tender, SourceFor(account.Tender), null));
    }

    /// <summary>
    /// The first day of the run of days, ending on <paramref name="through"/>, on which the policy allows disconnections:
    /// an account listed that day stays listed through <paramref name="through"/> with the reason it was listed for.
    /// </summary>
    private static DateOnly FirstOfDisconnectDaysThrough(CollectionPolicy policy, DateOnly through)
    {
        var calendar = CollectionCalendar.For(HolidayCalendar.UsFederal, through.AddDays(-14), through.AddDays(1), []);
        var day = through;
        while (day > through.AddDays(-7) && calendar.NoDisconnectReason(policy.Protections.NoDisconnectOn, day.AddDays(-1)) is null)
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    private static DateOnly BusinessDayOnOrAfter(DateOnly day)
    {
        while (!IsBusinessDay(day))
        {
            day = day.AddDays(1);
        }

        return day;
    }

    private static DateOnly BusinessDayOnOrBefore(DateOnly day)
    {
        while (!IsBusinessDay(day))
        {
            day = day.AddDays(-1);
        }

        return day;
    }

    private static DateOnly BusinessDayBefore(DateOnly day) => BusinessDayOnOrBefore(day.AddDays(-1));

    /// <summary>A clock that reads noon of one day in the utility's zone: the stop-service use case dates its final bill by it.</summary>
    private sealed class DayClock(DateOnly day, TimeZoneInfo zone) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow()
        {
            var noon = day.ToDateTime(new TimeOnly(12, 0));
            return new DateTimeOffset(noon, zone.GetUtcOffset(noon)).ToUniversalTime();
        }

        public override TimeZoneInfo LocalTimeZone => zone;
    }
}
