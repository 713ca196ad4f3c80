using OpenCIS.UseCases.Encryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using OpenCIS.Core.Billing;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Core.Metering;
using OpenCIS.Core.Rating;
using OpenCIS.Storage;
using OpenCIS.Storage.Audit;
using OpenCIS.Storage.Billing;
using OpenCIS.Storage.Customers;
using OpenCIS.Storage.Metering;
using OpenCIS.Storage.ServiceOrders;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Collections;
using OpenCIS.UseCases.Deposits;
using OpenCIS.UseCases.Letters;
using OpenCIS.UseCases.Metering;
using OpenCIS.UseCases.Receivables;

namespace OpenCIS.UseCases.Customers;

/// <summary>What happens to what a customer still owes on a final-billed account when they start service again.</summary>
public enum UnpaidFinalBalanceRule
{
    /// <summary>The unpaid final balance moves to the new account (a balanced transfer through the clearing account).</summary>
    Transfer,

    /// <summary>Service is refused until the unpaid final balance is paid.</summary>
    RequirePayment,
}

/// <summary>The utility's start-service settings: <c>OPENCIS_UNPAID_FINAL_BALANCE</c> is <c>transfer</c> (the default) or <c>require-payment</c>.</summary>
public sealed record ServiceStartSettings(UnpaidFinalBalanceRule UnpaidFinalBalance)
{
    public const string UnpaidFinalBalanceSetting = "OPENCIS_UNPAID_FINAL_BALANCE";

    public static ServiceStartSettings FromConfiguration(IConfiguration configuration) =>
        (configuration[UnpaidFinalBalanceSetting] ?? "transfer").Trim().ToLowerInvariant() switch
        {
            "transfer" or "" => new(UnpaidFinalBalanceRule.Transfer),
            "require-payment" => new(UnpaidFinalBalanceRule.RequirePayment),
            var other => throw new InvalidOperationException($"{UnpaidFinalBalanceSetting}: '{other}' is not transfer or require-payment."),
        };
}

/// <summary>A service point to serve and, optionally, its rate schedule and units (the defaults for the class otherwise).</summary>
public sealed record ServiceChoice(long ServicePointId, string? RateScheduleCode = null, decimal? Units = null);

/// <summary>A meter's read when service starts, by serial.</summary>
public sealed record InitialRead(string MeterSerial, long Reading);

/// <summary>Someone who gets a copy of the account's collection notices (a relative, a caseworker).</summary>
public sealed record ThirdPartyRecipient(string Name, string Line1, string City, string State, string Zip, string? Email = null);

/// <summary>
/// Start service (a move-in): an existing customer by id, or a new one as keyed, the premise and day, the account's
/// class, the move-in reads (or a read order), and the account's choices. Services default to every service point of
/// the premise on the class's usual rate schedules.
/// </summary>
public sealed record StartServiceRequest(
    long? CustomerId,
    ApplyingCustomer? NewCustomer,
    long PremiseId,
    DateOnly StartDate,
    AccountClass Class,
    IReadOnlyList<InitialRead>? InitialReads = null,
    bool ReadOrder = false,
    string? NotDuplicateReason = null,
    string? IdentityDocument = null,
    IReadOnlyList<ServiceChoice>? Services = null,
    string? CycleCode = null,
    string? DepositWaiverReason = null,
    long? OwnerCustomerId = null,
    ThirdPartyRecipient? ThirdParty = null,
    BillDelivery BillDelivery = BillDelivery.Paper,
    bool NoticesByEmail = false,
    bool JoinAsCoApplicant = false);

public sealed record StartServiceOutcome(
    string AccountNumber,
    long AccountId,
    long CustomerId,
    bool CustomerCreated,
    IReadOnlyList<string> Services,
    long? DepositCents,
    long TransferredCents,
    long? ReadOrderId,
    long? LetterId,
    string? OwnerAccountStopped,
    string Message);

/// <summary>
/// Start service, in one flow: find or create the customer (duplicates refused unless the clerk says why the applicant
/// is someone else), the debt check (an unpaid final balance elsewhere moves to the new account or must be paid, per
/// <see cref="ServiceStartSettings"/>), the premise's service points on the class's rate schedules, the move-in reads
/// through read validation (or a read order), the roles (owner, tenant, third-party notice recipient), bill and notice
/// delivery, then the deposit decision (<see cref="RequireDeposit"/>, the existing rules), the balance moved
/// (<see cref="TransferBalance"/>) and the welcome letter (<see cref="SendLetter"/>). The account gets the next
/// check-digit number and the premise's cycle and route, and bills on that cycle from the start date.
/// Refused with the field named, and nothing changed: a start date not after the premise's last stop, a premise served
/// for another customer (unless the clerk joins them as co-applicant; an owner's revert account is stopped instead),
/// a metered service point with neither a move-in read nor a read order.
/// </summary>
public sealed class StartService(
    OpenCisDbContext db,
    CustomerMatches matches,
    FieldProtector protector,
    RecordFieldRead fieldRead,
    StopService stopService,
    RequireDeposit requireDeposit,
    TransferBalance transferBalance,
    SendLetter letters,
    ServiceStartSettings settings,
    BusinessCalendar calendar,
    TimeProvider clock)
{
    /// <summary>How far ahead a move-in may be keyed.</summary>
    public const int DaysAheadMax = 60;

    public async Task<StartServiceOutcome> ExecuteAsync(StartServiceRequest request, string user, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync(request, user, transferFrom: null, checkOnly: false, cancellationToken))!;

    /// <summary>Every check a start makes, changing nothing: a transfer asks before it stops the old service.</summary>
    internal Task CheckAsync(StartServiceRequest request, Account transferFrom, CancellationToken cancellationToken) =>
        ExecuteAsync(request, "", transferFrom, checkOnly: true, cancellationToken);

    /// <summary>Start service; <paramref name="transferFrom"/> is the account a transfer just stopped (its balance follows the setting, and it is no debt to refuse for).</summary>
    internal async Task<StartServiceOutcome?> ExecuteAsync(StartServiceRequest request, string user, Account? transferFrom, bool checkOnly, CancellationToken cancellationToken)
    {
        var today = calendar.Today();
        var now = clock.GetUtcNow();
        if (request.StartDate > today.AddDays(DaysAheadMax))
        {
            throw new DomainException($"A start date is at most {DaysAheadMax} days ahead ({today.AddDays(DaysAheadMax):yyyy-MM-dd}).", "startDate");
        }

        db.ChangeTracker.Clear();
        var premise = await db.Premises.AsNoTracking().SingleOrDefaultAsync(p => p.Id == request.PremiseId, cancellationToken)
            ?? throw new DomainException($"There is no premise {request.PremiseId}.", "premiseId");
        var points = await db.ServicePoints.AsNoTracking().Where(p => p.PremiseId == premise.Id).OrderBy(p => p.Service).ThenBy(p => p.Id).ToListAsync(cancellationToken);
        if (points.Count == 0)
        {
            throw new DomainException($"Premise {premise.FullAddress} has no service points; add them in inventory first.", "premiseId");
        }

        var pointIds = points.Select(p => p.Id).ToList();
        var customer = await CustomerAsync(request, cancellationToken);

        // The premise: who is served there now.
        var serving = await db.ServiceAgreements.AsNoTracking()
            .Where(a => pointIds.Contains(a.ServicePointId) && (a.EndedOn == null || a.EndedOn >= request.StartDate))
            .Join(db.Accounts, a => a.AccountId, acc => acc.Id, (a, acc) => acc)
            .Where(acc => acc.Status == AccountStatus.Active)
            .Distinct().ToListAsync(cancellationToken);
        var revert = serving.Where(a => a.OwnerRevert).ToList();
        var others = serving.Where(a => !a.OwnerRevert).ToList();
        if (others.Count > 0)
        {
            var other = others[0];
            if (request.JoinAsCoApplicant)
            {
                return checkOnly ? null : await JoinAsync(other, customer, request, user, now, cancellationToken);
            }

            var holder = await MainCustomerNameAsync(other.Id, cancellationToken);
            throw new DomainException($"{premise.FullAddress} is served under account {other.AccountNumber} ({holder}). Stop that service first, transfer it, or add the applicant to it as a co-applicant.", "premiseId");
        }

        if (request.JoinAsCoApplicant)
        {
            throw new DomainException($"No one is served at {premise.FullAddress} to join as co-applicant.", "joinAsCoApplicant");
        }

        // The debt check: what the customer still owes on final-billed accounts.
        var owed = customer.Row.Id == 0 ? [] : await UnpaidFinalAsync(customer.Row.Id, transferFrom?.Id, cancellationToken);
        if (owed.Count > 0 && settings.UnpaidFinalBalance == UnpaidFinalBalanceRule.RequirePayment)
        {
            throw new DomainException($"{customer.Row.DisplayName} owes {Money.FromCents(owed.Sum(o => o.Cents))} on final-billed account{(owed.Count == 1 ? "" : "s")} {string.Join(", ", owed.Select(o => o.Number))}; it must be paid before service starts.", "customerId");
        }

        var choices = request.Services is { Count: > 0 } chosen ? chosen : [.. points.Select(p => new ServiceChoice(p.Id))];
        foreach (var choice in choices.Where(c => !pointIds.Contains(c.ServicePointId)))
        {
            throw new DomainException($"Service point {choice.ServicePointId} is not at {premise.FullAddress}.", "services");
        }

        var meters = await db.Meters.AsNoTracking().Where(m => m.ServicePointId != null && pointIds.Contains(m.ServicePointId.Value) && m.Status == MeterStatus.Installed).ToListAsync(cancellationToken);
        var reads = request.InitialReads ?? [];
        foreach (var read in reads.Where(r => !meters.Any(m => m.Serial == r.MeterSerial.Trim())))
        {
            throw new DomainException($"Meter {read.MeterSerial} is not installed at {premise.FullAddress}.", "initialReads");
        }

        var chosenMeters = meters.Where(m => choices.Any(c => c.ServicePointId == m.ServicePointId)).ToList();
        var lastStop = await db.ServiceAgreements.AsNoTracking().Where(a => pointIds.Contains(a.ServicePointId) && a.EndedOn != null).MaxAsync(a => a.EndedOn, cancellationToken);
        if (lastStop is { } stopped && request.StartDate <= stopped)
        {
            throw new DomainException($"Service at {premise.FullAddress} last stopped on {stopped:yyyy-MM-dd}; a start date must be after that.", "startDate");
        }

        var planned = await PlanAgreementsAsync(choices, points, request.Class, request.StartDate, cancellationToken);
        var (cycle, route, sequence) = await CycleAsync(premise.Id, request.CycleCode, cancellationToken);
        if ((request.BillDelivery == BillDelivery.Email || request.NoticesByEmail) && string.IsNullOrWhiteSpace(customer.Row.Email))
        {
            throw new DomainException("Paperless bills and e-mailed notices need the customer's e-mail address.", "email");
        }

        var readOn = request.StartDate.AddDays(-1);
        var readOnStart = await db.Reads.AsNoTracking()
            .Where(r => chosenMeters.Select(m => m.Id).Contains(r.MeterId) && r.ReadOn == readOn && ReadStatuses.Billable.Contains(r.Status))
            .Select(r => r.MeterId).ToListAsync(cancellationToken);
        foreach (var meter in chosenMeters)
        {
            var entered = reads.Any(r => r.MeterSerial.Trim() == meter.Serial);
            if (revert.Count > 0 && !entered)
            {
                throw new DomainException($"The owner's account {revert[0].AccountNumber} carries the service until this start: enter the move-in read of every meter, which is its final read.", "initialReads");
            }

            if (!entered && !request.ReadOrder && !readOnStart.Contains(meter.Id))
            {
                throw new DomainException($"Enter the move-in read of meter {meter.Serial}, or ask for a read order.", "initialReads");
            }
        }

        if (checkOnly)
        {
            return null;
        }

        if (revert.Count > 0)
        {
            await StopRevertAsync(revert, request, chosenMeters, reads, user, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (customer.Created)
        {
            db.Customers.Add(customer.Row);
            await db.SaveChangesAsync(cancellationToken);
        }
        else
        {
            db.Customers.Attach(customer.Row);
        }

        customer.Row.RecordIdentification(request.NewCustomer?.BirthDate, request.IdentityDocument);
        if (request.NoticesByEmail)
        {
            customer.Row.ChooseNoticeDelivery(true);
        }

        var account = Account.Open(await NextAccountNumberAsync(cancellationToken), request.Class, cycle, premise.Id, request.StartDate);
        account.ChooseBillDelivery(request.BillDelivery);
        if (route is not null)
        {
            account.PlaceOnRoute(route, sequence);
        }

        db.Accounts.Add(account);
        await db.SaveChangesAsync(cancellationToken);
        var ownerId = request.OwnerCustomerId ?? await LandlordAsync(premise.Id, request.StartDate, cancellationToken);
        if (ownerId is { } owner && owner != customer.Row.Id && !await db.Customers.AnyAsync(c => c.Id == owner, cancellationToken))
        {
            throw new DomainException($"There is no customer {owner} to name as owner.", "ownerCustomerId");
        }

        db.AccountCustomers.Add(new AccountCustomer { AccountId = account.Id, CustomerId = customer.Row.Id, Role = AccountRole.Main, StartedOn = request.StartDate });
        db.AccountCustomers.Add(new AccountCustomer { AccountId = account.Id, CustomerId = ownerId ?? customer.Row.Id, Role = AccountRole.Owner, StartedOn = request.StartDate });
        if (ownerId is { } landlord && landlord != customer.Row.Id)
        {
            db.AccountCustomers.Add(new AccountCustomer { AccountId = account.Id, CustomerId = customer.Row.Id, Role = AccountRole.Tenant, StartedOn = request.StartDate });
        }

        if (request.ThirdParty is { } third)
        {
            if (string.IsNullOrWhiteSpace(third.Name) || string.IsNullOrWhiteSpace(third.Line1))
            {
                throw new DomainException("A third-party notice recipient needs a name and a mailing address.", "thirdParty");
            }

            var recipient = Customer.Create(CustomerKind.Person, third.Name.Trim(), Blank(third.Email), null, third.Line1.Trim(), third.City.Trim(), third.State.Trim(), third.Zip.Trim(), now);
            db.Customers.Add(recipient);
            await db.SaveChangesAsync(cancellationToken);
            db.AccountCustomers.Add(new AccountCustomer { AccountId = account.Id, CustomerId = recipient.Id, Role = AccountRole.ThirdPartyNotice, StartedOn = request.StartDate });
        }

        foreach (var agreement in planned)
        {
            db.ServiceAgreements.Add(new ServiceAgreement
            {
                AccountId = account.Id,
                ServicePointId = agreement.Point.Id,
                Service = agreement.Point.Service,
                RateScheduleCode = agreement.Schedule,
                Units = agreement.Units,
                UsageFromService = agreement.UsageFrom,
                Attributes = agreement.Attributes,
                StartedOn = request.StartDate,
            });
        }

        var pointRows = await db.ServicePoints.Where(p => pointIds.Contains(p.Id)).ToListAsync(cancellationToken);
        foreach (var point in pointRows.Where(p => planned.Any(a => a.Point.Id == p.Id)))
        {
            point.ChangeState(ServicePointState.ActiveOccupied);
        }

        // Saved before the move-in reads, which validation judges against the point in service, not vacant.
        await db.SaveChangesAsync(cancellationToken);
        long? readOrderId = null;
        foreach (var meter in chosenMeters)
        {
            var entered = reads.LastOrDefault(r => r.MeterSerial.Trim() == meter.Serial);
            var existing = await db.Reads.AsNoTracking().Where(r => r.MeterId == meter.Id && r.ReadOn == readOn && ReadStatuses.Billable.Contains(r.Status))
                .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
            if (existing is not null)
            {
                if (entered is not null && entered.Reading != existing.Reading)
                {
                    throw new DomainException($"Meter {meter.Serial} was read {existing.Reading:N0} on {readOn:yyyy-MM-dd}, when the last service there stopped; the move-in read is that one, not {entered.Reading:N0}.", "initialReads");
                }

                continue;
            }

            if (entered is not null)
            {
                await fieldRead.AddAsync([meter.ServicePointId!.Value], readOn, entered.Reading, "initialReads", user, cancellationToken);
            }
            else if (request.ReadOrder)
            {
                var order = ServiceOrder.Create(ServiceOrderKind.ReRead, account.Id, premise.Id, meter.ServicePointId, meter.Id, 2, request.StartDate < today ? today : request.StartDate,
                    $"Move-in read for account {account.AccountNumber}, service from {request.StartDate:yyyy-MM-dd}.", user, now);
                db.ServiceOrders.Add(order);
                await db.SaveChangesAsync(cancellationToken);
                readOrderId = order.Id;
            }
            else
            {
                throw new DomainException($"Enter the move-in read of meter {meter.Serial}, or ask for a read order.", "initialReads");
            }
        }

        AuditLog.Record(db, now, user, "Account", account.Id, account.Id, "Start service", null,
            new { account.AccountNumber, CustomerId = customer.Row.Id, customer.Created, premise.Id, request.StartDate, Class = request.Class.ToString(), Cycle = cycle,
                Services = planned.Select(a => $"{a.Point.Service} {a.Schedule}").ToList(), request.BillDelivery, request.NoticesByEmail, OwnerCustomerId = ownerId,
                ThirdParty = request.ThirdParty?.Name, request.IdentityDocument },
            customer.Created && request.NotDuplicateReason is { Length: > 0 } reason ? $"Not a duplicate: {reason.Trim()}" : null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();

        // Then the deposit decision, the balance moved and the welcome letter, each in its own transaction.
        var deposit = await requireDeposit.ExecuteAsync(new RequireDepositRequest(account.AccountNumber, Blank(request.DepositWaiverReason), null), user, cancellationToken);
        var depositCents = deposit.Deposit.BilledCents > 0 ? deposit.Deposit.BilledCents : (long?)null;
        var moved = 0L;
        var movedFrom = new List<string>();
        if (settings.UnpaidFinalBalance == UnpaidFinalBalanceRule.Transfer)
        {
            var toMove = owed.Select(o => o.Number).ToList();
            if (transferFrom is not null && await OwesAsync(transferFrom.Id, cancellationToken))
            {
                toMove.Add(transferFrom.AccountNumber);
            }

            foreach (var from in toMove)
            {
                var transfer = await transferBalance.ExecuteAsync(new TransferRequest(from, account.AccountNumber,
                    transferFrom?.AccountNumber == from ? "Transfer of service: the final balance moves to the new account" : "Start service: unpaid final balance moves to the new account", null), user, cancellationToken);
                moved += transfer.AmountCents;
                movedFrom.Add(from);
            }
        }

        var letter = await WelcomeAsync(account, planned, request.StartDate, depositCents, deposit.Deposit.DueOn, user, cancellationToken);
        var services = planned.Select(a => $"{a.Point.Service.ToString().ToLowerInvariant()} ({a.Schedule})").ToList();
        var message = $"Account {account.AccountNumber} opened for {customer.Row.DisplayName} at {premise.FullAddress} from {request.StartDate:yyyy-MM-dd}: {string.Join(", ", services)}; cycle {cycle}."
            + (depositCents is { } cents ? $" Deposit of {Money.FromCents(cents)} billed, due {deposit.Deposit.DueOn:yyyy-MM-dd}." : " No deposit billed.")
            + (moved != 0 ? $" {Money.FromCents(moved)} moved from {string.Join(", ", movedFrom)}." : "")
            + (readOrderId is { } orderId ? $" Read order {orderId} created." : "")
            + (letter is null ? " No welcome template in the store: no letter was sent." : $" Welcome letter {letter.Id} {(letter.Delivery == Storage.Collections.NoticeDelivery.Email ? "e-mailed" : "to mail")}.")
            + (revert.Count > 0 ? $" The owner's account {revert[0].AccountNumber} was stopped the day before." : "");
        return new StartServiceOutcome(account.AccountNumber, account.Id, customer.Row.Id, customer.Created, services, depositCents, moved, readOrderId, letter?.Id,
            revert.Count > 0 ? revert[0].AccountNumber : null, message);
    }

    private sealed record CustomerChoice(Customer Row, bool Created);

    private async Task<CustomerChoice> CustomerAsync(StartServiceRequest request, CancellationToken cancellationToken)
    {
        if (request.CustomerId is { } id)
        {
            var existing = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken)
                ?? throw new DomainException($"There is no customer {id}.", "customerId");
            return new(existing, false);
        }

        var applying = request.NewCustomer ?? throw new DomainException("Choose the customer, or enter the new customer's name and contact details.", "customer");
        if (string.IsNullOrWhiteSpace(applying.DisplayName))
        {
            throw new DomainException("Enter the customer's name.", "displayName");
        }

        if (applying.BirthDate is { } born && (born > calendar.Today() || born < new DateOnly(1900, 1, 1)))
        {
            throw new DomainException($"{born:yyyy-MM-dd} is not a date of birth.", "birthDate");
        }

        string? digits = null;
        if (!string.IsNullOrWhiteSpace(applying.IdentityNumber))
        {
            digits = IdentityNumbers.Normalize(applying.IdentityNumber)
                ?? throw new DomainException("An SSN or tax id has nine digits, written like 123-45-6789 or 12-3456789.", "identityNumber");
        }

        var found = await matches.FindAsync(applying, cancellationToken);
        if (found.Count > 0 && string.IsNullOrWhiteSpace(request.NotDuplicateReason))
        {
            throw new DomainException("This may be a customer on file: " + string.Join("; ", found.Select(m => $"customer {m.CustomerId} {m.DisplayName} ({string.Join(", ", m.Reasons)})"))
                + ". Choose that customer, or say why the applicant is someone else.", "customer");
        }

        var premise = await db.Premises.AsNoTracking().SingleAsync(p => p.Id == request.PremiseId, cancellationToken);
        var mailingGiven = !string.IsNullOrWhiteSpace(applying.MailingLine1);
        var row = Customer.Create(applying.Kind, applying.DisplayName.Trim(), Blank(applying.Email), Blank(applying.Phone),
            mailingGiven ? applying.MailingLine1!.Trim() : premise.AddressLine1,
            mailingGiven ? (applying.MailingCity ?? "").Trim() : premise.City,
            mailingGiven ? (applying.MailingState ?? "").Trim() : premise.State,
            mailingGiven ? (applying.MailingZip ?? "").Trim() : premise.Zip, clock.GetUtcNow());
        if (digits is not null)
        {
            row.SetIdentityNumber(applying.IdentityKind ?? (applying.Kind == CustomerKind.Business ? IdentityNumberKind.TaxId : IdentityNumberKind.Ssn),
                protector.Protect(digits), IdentityNumbers.LastFour(digits), protector.Hash(digits));
        }

        return new(row, true);
    }

    private async Task<StartServiceOutcome> JoinAsync(Account account, CustomerChoice customer, StartServiceRequest request, string user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (customer.Created)
        {
            db.Customers.Add(customer.Row);
            await db.SaveChangesAsync(cancellationToken);
        }
        else if (await db.AccountCustomers.AnyAsync(ac => ac.AccountId == account.Id && ac.CustomerId == customer.Row.Id && ac.EndedOn == null, cancellationToken))
        {
            throw new DomainException($"{customer.Row.DisplayName} is already on account {account.AccountNumber}.", "joinAsCoApplicant");
        }

        db.AccountCustomers.Add(new AccountCustomer { AccountId = account.Id, CustomerId = customer.Row.Id, Role = AccountRole.CoApplicant, StartedOn = request.StartDate });
        AuditLog.Record(db, now, user, "Account", account.Id, account.Id, "Add co-applicant", null, new { CustomerId = customer.Row.Id, customer.Row.DisplayName, request.StartDate }, null);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new StartServiceOutcome(account.AccountNumber, account.Id, customer.Row.Id, customer.Created, [], null, 0, null, null, null,
            $"{customer.Row.DisplayName} joined account {account.AccountNumber} as co-applicant from {request.StartDate:yyyy-MM-dd}.");
    }

    /// <summary>
    /// The owner carried the service since the last tenant left: their account stops the day before this start, on the
    /// move-in reads (the checks made sure every meter has one).
    /// </summary>
    private async Task StopRevertAsync(List<Account> revert, StartServiceRequest request, List<Meter> meters, IReadOnlyList<InitialRead> reads, string user, CancellationToken cancellationToken)
    {
        var finals = meters.Select(m => new FinalReading(m.Serial, reads.Last(r => r.MeterSerial.Trim() == m.Serial).Reading)).ToList();
        foreach (var account in revert)
        {
            await stopService.ExecuteAsync(new StopServiceRequest(account.AccountNumber, request.StartDate.AddDays(-1), finals, "A tenant starts service: the owner's service ends"), user, cancellationToken);
        }
    }

    private sealed record PlannedAgreement(ServicePoint Point, string Schedule, decimal Units, Service? UsageFrom, string? Attributes = null);

    /// <summary>
    /// Each chosen point's schedule: as asked, else the point's last schedule for this class, else the class's usual one
    /// for the service; its units as asked, else the last agreement's; and the last agreement's attributes under the same schedule.
    /// </summary>
    private async Task<List<PlannedAgreement>> PlanAgreementsAsync(IReadOnlyList<ServiceChoice> choices, List<ServicePoint> points, AccountClass accountClass, DateOnly startDate,
        CancellationToken cancellationToken)
    {
        var schedules = await db.RateSchedules.AsNoTracking().Select(s => new { s.Code, s.Service }).Distinct().ToListAsync(cancellationToken);
        var tariffs = await Rating.TariffCatalog.LoadAsync(db, cancellationToken);
        var planned = new List<PlannedAgreement>();
        foreach (var choice in choices)
        {
            var point = points.Single(p => p.Id == choice.ServicePointId);
            var last = await db.ServiceAgreements.AsNoTracking().Where(a => a.ServicePointId == point.Id)
                .Join(db.Accounts, a => a.AccountId, acc => acc.Id, (a, acc) => new { a.Id, a.RateScheduleCode, a.Units, a.UsageFromService, a.Attributes, acc.Class })
                .OrderByDescending(a => a.Id).FirstOrDefaultAsync(cancellationToken);
            var schedule = choice.RateScheduleCode?.Trim();
            if (string.IsNullOrEmpty(schedule))
            {
                schedule = last is not null && last.Class == accountClass ? last.RateScheduleCode : await UsualScheduleAsync(point.Service, accountClass, cancellationToken);
            }

            if (schedule is null || !schedules.Any(s => s.Code == schedule && s.Service == point.Service))
            {
                throw new DomainException(schedule is null
                    ? $"No {point.Service.ToString().ToLowerInvariant()} rate schedule is in use for {accountClass.ToString().ToLowerInvariant()} accounts; choose one."
                    : $"'{schedule}' is not a {point.Service.ToString().ToLowerInvariant()} rate schedule.", "services");
            }

            var units = choice.Units ?? last?.Units ?? (point.Service == Service.Trash ? 1 : 0);
            if (units < 0)
            {
                throw new DomainException("Units cannot be negative.", "services");
            }

            var usageFrom = last?.UsageFromService ?? (point.Service == Service.Sewer && !point.IsMetered && points.Any(p => p.Service == Service.Water) ? Service.Water : null);
            // The point's cart or fire line stays at the premise: under the same schedule, so do the attributes that price it.
            var attributes = last is not null && last.RateScheduleCode == schedule ? last.Attributes : null;
            planned.Add(new PlannedAgreement(point, schedule, units, usageFrom, WithStandards(attributes, tariffs.InForce(schedule, startDate))));
        }

        return planned;
    }

    /// <summary>
    /// The attributes kept from the premise, and for each charge of the schedule priced by an attribute the service still
    /// lacks, the standard value the schedule names (the cart the city issues to a new customer).
    /// </summary>
    private static string? WithStandards(string? attributes, Tariff? tariff)
    {
        var kept = ServiceAttributes.Parse(attributes);
        var given = kept;
        foreach (var charge in tariff?.Components.OfType<FixedCharge>() ?? [])
        {
            if (charge is { Optional: false, Standard: { } standard } && charge.PriceAttribute != FixedCharge.MeterSizeAttribute && !given.ContainsKey(charge.PriceAttribute))
            {
                given = given.SetItem(charge.PriceAttribute, standard);
            }
        }

        return ReferenceEquals(given, kept) ? attributes : ServiceAttributes.Format(given);
    }

    /// <summary>The schedule most of the class's open agreements for the service are on.</summary>
    private async Task<string?> UsualScheduleAsync(Service service, AccountClass accountClass, CancellationToken cancellationToken) =>
        await db.ServiceAgreements.AsNoTracking().Where(a => a.Service == service && a.EndedOn == null)
            .Join(db.Accounts.Where(acc => acc.Class == accountClass), a => a.AccountId, acc => acc.Id, (a, acc) => a.RateScheduleCode)
            .GroupBy(code => code).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>The premise's cycle and route, from its last account; a premise never served takes the cycle asked for.</summary>
    private async Task<(string Cycle, string? Route, int Sequence)> CycleAsync(long premiseId, string? cycleCode, CancellationToken cancellationToken)
    {
        var last = await db.Accounts.AsNoTracking().Where(a => a.PremiseId == premiseId).OrderByDescending(a => a.Id)
            .Select(a => new { a.CycleCode, a.RouteCode, a.RouteSequence }).FirstOrDefaultAsync(cancellationToken);
        var code = string.IsNullOrWhiteSpace(cycleCode) ? last?.CycleCode : cycleCode.Trim();
        if (code is null)
        {
            throw new DomainException("This premise has never been served: choose its billing cycle.", "cycleCode");
        }

        if (!await db.BillingCycles.AnyAsync(c => c.Code == code, cancellationToken))
        {
            throw new DomainException($"There is no billing cycle {code}.", "cycleCode");
        }

        return last is not null && last.CycleCode == code ? (code, last.RouteCode, last.RouteSequence) : (code, null, 0);
    }

    private Task<string> NextAccountNumberAsync(CancellationToken cancellationToken) => NextAccountNumberAsync(db, cancellationToken);

    /// <summary>The next account number in sequence, with its check digit.</summary>
    internal static async Task<string> NextAccountNumberAsync(OpenCisDbContext db, CancellationToken cancellationToken)
    {
        // The highest number read off the unique index; only when it is not one of ours (a converted account's) are ours scanned for.
        var highest = await db.Accounts.AsNoTracking().MaxAsync(a => (string?)a.AccountNumber, cancellationToken);
        if (highest is not null && !AccountNumbers.IsValid(highest))
        {
            highest = await db.Accounts.AsNoTracking().Where(a => a.AccountNumber.Length == 8).MaxAsync(a => (string?)a.AccountNumber, cancellationToken);
        }

        var sequence = highest is null ? 1 : long.Parse(highest[..7], System.Globalization.CultureInfo.InvariantCulture) + 1;
        return AccountNumbers.Create(sequence);
    }

    private async Task<long?> LandlordAsync(long premiseId, DateOnly day, CancellationToken cancellationToken) =>
        (await db.LandlordAgreements.AsNoTracking().Where(l => l.PremiseId == premiseId).ToListAsync(cancellationToken))
            .Where(l => l.CoversOn(day)).Select(l => (long?)l.OwnerCustomerId).FirstOrDefault();

    private async Task<List<(string Number, long Cents)>> UnpaidFinalAsync(long customerId, long? except, CancellationToken cancellationToken)
    {
        var finals = await db.AccountCustomers.AsNoTracking().Where(ac => ac.CustomerId == customerId && ac.Role == AccountRole.Main)
            .Join(db.Accounts, ac => ac.AccountId, a => a.Id, (ac, a) => a)
            .Where(a => a.Status == AccountStatus.FinalBilled && a.Id != except)
            .Select(a => new { a.Id, a.AccountNumber }).Distinct().ToListAsync(cancellationToken);
        var unpaid = await CustomerMatches.UnpaidFinalAsync(db, [.. finals.Select(f => f.Id)], cancellationToken);
        return [.. finals.Where(f => unpaid.ContainsKey(f.Id)).OrderBy(f => f.AccountNumber).Select(f => (f.AccountNumber, unpaid[f.Id]))];
    }

    /// <summary>Whether the account has a balance, owed or credit, to move.</summary>
    private async Task<bool> OwesAsync(long accountId, CancellationToken cancellationToken) =>
        await db.OpenItems.AsNoTracking().Where(o => o.AccountId == accountId).SumAsync(o => o.OpenCents, cancellationToken) != 0;

    private async Task<string> MainCustomerNameAsync(long accountId, CancellationToken cancellationToken) =>
        await db.AccountCustomers.AsNoTracking().Where(ac => ac.AccountId == accountId && ac.Role == AccountRole.Main)
            .Join(db.Customers, ac => ac.CustomerId, c => c.Id, (ac, c) => c.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? "no customer";

    private async Task<Storage.Letters.Letter?> WelcomeAsync(Account account, List<PlannedAgreement> planned, DateOnly startDate, long? depositCents, DateOnly? depositDue, string user, CancellationToken cancellationToken)
    {
        var started = planned.Select(a => a.Point.Service).Distinct().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var letter = await letters.AddAsync(new LetterToSend(account.Id, NoticeTemplates.Welcome, $"welcome:{account.Id}",
            language => new Dictionary<string, string>
            {
                ["service.start_date"] = ProduceNotices.LongDate(startDate, language),
                ["service.services"] = BillText.List(language, [.. started.Select(s => BillText.Get(language, $"Service_{s}"))]),
                ["deposit.amount"] = depositCents is { } cents ? Money.FromCents(cents).ToString() : "",
                ["deposit.due_date"] = depositCents is not null && depositDue is { } due ? ProduceNotices.LongDate(due, language) : "",
                ["bill.delivery"] = BillText.Get(language, account.BillDelivery == BillDelivery.Email ? "DeliveryEmail" : "DeliveryMail"),
            }), calendar.Today(), user, clock.GetUtcNow(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return letter;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
