using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;

namespace OpenCIS.Storage.Customers;

public enum CustomerKind
{
    Person,
    Business,
}

public enum AccountClass
{
    Residential,
    Commercial,
    Industrial,
    Municipal,
}

/// <summary>How the account's bills reach the customer: printed and mailed, or e-mailed only (paperless).</summary>
public enum BillDelivery
{
    Paper,
    Email,
}

public enum AccountStatus
{
    Pending,
    Active,
    FinalBilled,
    Closed,
}

public enum AccountRole
{
    Main,
    Owner,
    Tenant,
    CoApplicant,
    ThirdPartyNotice,
}

/// <summary>A person or business. The identity number is stored encrypted; only its last four digits are stored in clear.</summary>
public sealed class Customer
{
    public long Id { get; init; }
    public CustomerKind Kind { get; init; }
    public string DisplayName { get; private set; } = "";
    public string? Email { get; private set; }
    public string? Phone { get; private set; }

    /// <summary>The phone's digits, for search (<see cref="SearchKeys.PhoneDigits"/>).</summary>
    public string? PhoneDigits { get; private set; }

    /// <summary>The e-mail address trimmed and in lower case, for search.</summary>
    public string? EmailKey { get; private set; }

    /// <summary>The name as search looks it up (<see cref="SearchKeys.Name"/>): a person's surname first, lower case.</summary>
    public string NameKey { get; private set; } = "";
    public string MailingLine1 { get; private set; } = "";
    public string MailingCity { get; private set; } = "";
    public string MailingState { get; private set; } = "";
    public string MailingZip { get; private set; } = "";
    public IdentityNumberKind? IdentityKind { get; private set; }
    public string? IdentityCipher { get; private set; }
    public string? IdentityLastFour { get; private set; }

    /// <summary>A keyed hash (HMAC-SHA256) of the identity number's digits: duplicate detection compares it, never the number.</summary>
    public string? IdentityHash { get; private set; }

    /// <summary>A person's date of birth, which with the name tells one applicant from another.</summary>
    public DateOnly? BirthDate { get; private set; }

    /// <summary>The identity document a clerk checked when the customer applied ("Oregon driver license ...1234").</summary>
    public string? IdentityDocument { get; private set; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The customer chose to receive collection notices by e-mail (sent only while they have an address).</summary>
    public bool NoticesByEmail { get; private set; }

    public static Customer Create(CustomerKind kind, string displayName, string? email, string? phone, string line1, string city, string state, string zip, DateTimeOffset createdAt) =>
        new()
        {
            Kind = kind,
            DisplayName = displayName,
            Email = email,
            Phone = phone,
            PhoneDigits = SearchKeys.PhoneDigits(phone),
            EmailKey = SearchKeys.Email(email),
            NameKey = SearchKeys.Name(displayName, kind == CustomerKind.Person),
            MailingLine1 = line1,
            MailingCity = city,
            MailingState = state,
            MailingZip = zip,
            CreatedAt = createdAt,
        };

    /// <summary>The mailing address on one line: "12 Elm St, Riverbend, OR 97401".</summary>
    public string MailingAddress => $"{MailingLine1}, {MailingCity}, {MailingState} {MailingZip}";

    public string MaskedIdentity => IdentityKind is { } kind && IdentityLastFour is { } lastFour ? IdentityNumbers.Masked(kind, lastFour) : "";

    public void SetIdentityNumber(IdentityNumberKind kind, string cipher, string lastFour, string hash)
    {
        IdentityKind = kind;
        IdentityCipher = cipher;
        IdentityLastFour = lastFour;
        IdentityHash = hash;
    }

    public const int IdentityDocumentLengthMax = 200;

    /// <summary>Records who the customer showed themselves to be: the date of birth and the document checked.</summary>
    public void RecordIdentification(DateOnly? birthDate, string? document)
    {
        if (birthDate is not null)
        {
            BirthDate = birthDate;
        }

        if (!string.IsNullOrWhiteSpace(document))
        {
            var trimmed = document.Trim();
            IdentityDocument = trimmed.Length > IdentityDocumentLengthMax ? trimmed[..IdentityDocumentLengthMax] : trimmed;
        }
    }

    public void ChooseNoticeDelivery(bool byEmail) => NoticesByEmail = byEmail;

    /// <summary>Mail came back from the mailing address on this date (a returned-mail import or a clerk): mail to it stops until the address changes.</summary>
    public DateOnly? MailReturnedOn { get; private set; }

    public string? MailReturnedReason { get; private set; }

    /// <summary>The phone on file failed (a wrong number) on this date.</summary>
    public DateOnly? PhoneFailedOn { get; private set; }

    public string? PhoneFailedReason { get; private set; }

    /// <summary>Mail to the e-mail address bounced (or a clerk marked it bad) on this date: e-mail stops until the address changes.</summary>
    public DateOnly? EmailFailedOn { get; private set; }

    public string? EmailFailedReason { get; private set; }

    /// <summary>The channels on file known not to work, address first.</summary>
    public IReadOnlyList<ContactFailure> Failures =>
    [
        .. MailReturnedOn is { } mail ? [new ContactFailure(ContactChannel.Address, mail, MailReturnedReason ?? "")] : Array.Empty<ContactFailure>(),
        .. PhoneFailedOn is { } phone ? [new ContactFailure(ContactChannel.Phone, phone, PhoneFailedReason ?? "")] : Array.Empty<ContactFailure>(),
        .. EmailFailedOn is { } email ? [new ContactFailure(ContactChannel.Email, email, EmailFailedReason ?? "")] : Array.Empty<ContactFailure>(),
    ];

    /// <summary>How a printed document reaches this customer: see <see cref="SkipTracing.Route"/>.</summary>
    public ReachBy Reach(bool prefersEmail) => SkipTracing.Route(prefersEmail, Email, EmailFailedOn is not null, MailReturnedOn is not null);

    /// <summary>Records that a channel failed; an earlier failure of the same channel keeps its date.</summary>
    internal bool MarkFailed(ContactChannel channel, DateOnly on, string reason)
    {
        switch (channel)
        {
            case ContactChannel.Address when MailReturnedOn is null:
                (MailReturnedOn, MailReturnedReason) = (on, reason);
                return true;
            case ContactChannel.Phone when PhoneFailedOn is null && Phone is not null:
                (PhoneFailedOn, PhoneFailedReason) = (on, reason);
                return true;
            case ContactChannel.Email when EmailFailedOn is null && Email is not null:
                (EmailFailedOn, EmailFailedReason) = (on, reason);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Clears a failure: the channel is known to work again.</summary>
    internal void ClearFailure(ContactChannel channel)
    {
        switch (channel)
        {
            case ContactChannel.Address:
                (MailReturnedOn, MailReturnedReason) = (null, null);
                break;
            case ContactChannel.Phone:
                (PhoneFailedOn, PhoneFailedReason) = (null, null);
                break;
            case ContactChannel.Email:
                (EmailFailedOn, EmailFailedReason) = (null, null);
                break;
        }
    }

    public void UpdateContact(string displayName, string? email, string? phone, string line1, string city, string state, string zip)
    {
        // A new address, phone or e-mail is a fresh start for that channel: its failure belonged to the old one.
        if (line1 != MailingLine1 || city != MailingCity || state != MailingState || zip != MailingZip)
        {
            ClearFailure(ContactChannel.Address);
        }

        if (SearchKeys.PhoneDigits(phone) != PhoneDigits)
        {
            ClearFailure(ContactChannel.Phone);
        }

        if (SearchKeys.Email(email) != EmailKey)
        {
            ClearFailure(ContactChannel.Email);
        }

        DisplayName = displayName;
        Email = email;
        Phone = phone;
        PhoneDigits = SearchKeys.PhoneDigits(phone);
        EmailKey = SearchKeys.Email(email);
        NameKey = SearchKeys.Name(displayName, Kind == CustomerKind.Person);
        MailingLine1 = line1;
        MailingCity = city;
        MailingState = state;
        MailingZip = zip;
    }
}

/// <summary>What is billed: one premise's services under one account number.</summary>
public sealed class Account
{
    public long Id { get; init; }
    public string AccountNumber { get; init; } = "";
    public AccountClass Class { get; init; }
    public AccountStatus Status { get; private set; }
    public string CycleCode { get; init; } = "";

    /// <summary>The meter-reading route within the cycle, and where on it this account's meters are read.</summary>
    public string? RouteCode { get; private set; }

    public int RouteSequence { get; private set; }

    /// <summary>The premise served; none for a city receivables account, which carries a party's invoices (EMS, permits, code enforcement).</summary>
    public long? PremiseId { get; init; }
    public DateOnly OpenedOn { get; init; }
    public DateOnly? ClosedOn { get; private set; }
    public bool CashOnly { get; private set; }

    /// <summary>How its bills are delivered; <see cref="BillDelivery.Email"/> is paperless.</summary>
    public BillDelivery BillDelivery { get; private set; }

    /// <summary>
    /// Opened when a tenant left a premise under a landlord agreement: the owner carries the service until the next
    /// tenant starts, whose move-in stops it (with its final bill) instead of being refused as someone else's service.
    /// </summary>
    public bool OwnerRevert { get; init; }

    public static Account Open(string accountNumber, AccountClass accountClass, string cycleCode, long premiseId, DateOnly openedOn, bool ownerRevert = false) =>
        new() { AccountNumber = accountNumber, Class = accountClass, CycleCode = cycleCode, PremiseId = premiseId, OpenedOn = openedOn, Status = AccountStatus.Active, OwnerRevert = ownerRevert };

    /// <summary>A party's city receivables account: no premise, no cycle; it carries the party's invoices and their payments.</summary>
    public static Account OpenForReceivables(string accountNumber, AccountClass accountClass, DateOnly openedOn) =>
        new() { AccountNumber = accountNumber, Class = accountClass, CycleCode = "", PremiseId = null, OpenedOn = openedOn, Status = AccountStatus.Active };

    /// <summary>Whether this is a city receivables account (invoices) rather than a utility account at a premise.</summary>
    public bool IsCityReceivables => PremiseId is null;

    public void ChooseBillDelivery(BillDelivery delivery) => BillDelivery = delivery;

    /// <summary>Service stopped and the final bill issued: the account is no longer billed by the cycle.</summary>
    /// <summary>After too many returned payments the account pays only in cash (or certified funds) from now on.</summary>
    public void MarkCashOnly()
    {
        if (CashOnly)
        {
            throw new DomainException($"Account {AccountNumber} is already cash-only.");
        }

        CashOnly = true;
    }

    public void MarkFinalBilled()
    {
        if (Status != AccountStatus.Active)
        {
            throw new DomainException($"Account {AccountNumber} is {Status}; only an active account can be final billed.", "accountNumber");
        }

        Status = AccountStatus.FinalBilled;
    }

    public void PlaceOnRoute(string routeCode, int sequence)
    {
        RouteCode = routeCode;
        RouteSequence = sequence;
    }
}

/// <summary>A customer's role on an account (main, owner, tenant, ...), with the dates it applies.</summary>
public sealed class AccountCustomer
{
    public long Id { get; init; }
    public long AccountId { get; init; }
    public long CustomerId { get; init; }
    public AccountRole Role { get; init; }
    public DateOnly StartedOn { get; init; }
    public DateOnly? EndedOn { get; private set; }

    /// <summary>Ends the role (the customer left the account) on its last day.</summary>
    public void End(DateOnly lastDay) => EndedOn ??= lastDay < StartedOn ? StartedOn : lastDay;
}

/// <summary>
/// A landlord agreement: while it runs, when a tenant's service at the premise stops, service reverts to the owner
/// from the next day (a new owner-revert account), so no day between tenants goes unbilled or unserved.
/// </summary>
public sealed class LandlordAgreement
{
    public long Id { get; init; }
    public long PremiseId { get; init; }
    public long OwnerCustomerId { get; init; }
    public DateOnly StartedOn { get; init; }
    public DateOnly? EndedOn { get; private set; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }

    public bool CoversOn(DateOnly day) => StartedOn <= day && (EndedOn is null || EndedOn >= day);

    public void End(DateOnly lastDay)
    {
        if (EndedOn is not null)
        {
            throw new DomainException($"Landlord agreement {Id} already ended on {EndedOn:yyyy-MM-dd}.", "endedOn");
        }

        if (lastDay < StartedOn)
        {
            throw new DomainException($"Landlord agreement {Id} started on {StartedOn:yyyy-MM-dd}; it cannot end before that.", "endedOn");
        }

        EndedOn = lastDay;
    }
}

/// <summary>A service address. Liens attach here, so it keeps its parcel and owner of record.</summary>
public sealed class Premise
{
    public long Id { get; init; }
    public string AddressLine1 { get; init; } = "";

    /// <summary>The street line as search looks it up (<see cref="SearchKeys.Address"/>), kept with the row.</summary>
    public string AddressKey
    {
        get => SearchKeys.Address(AddressLine1);
        private set { }
    }

    public string City { get; init; } = "";
    public string State { get; init; } = "";
    public string Zip { get; init; } = "";
    public string ParcelId { get; init; } = "";
    public string OwnerOfRecord { get; init; } = "";

    /// <summary>The parcel's impervious area in square feet (roofs, drives, paving), from the city's GIS: what stormwater is billed on.</summary>
    public decimal? ImperviousArea { get; internal set; }

    public string FullAddress => $"{AddressLine1}, {City}, {State} {Zip}";
}
