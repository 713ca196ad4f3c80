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

    public string MaskedIdentity => IdentityKind is { } kind && IdentityLastFour is { } lastFour ? IdentityNumbers.Masked(kind, lastFour) : "";

    public void SetIdentityNumber(IdentityNumberKind kind, string cipher, string lastFour)
    {
        IdentityKind = kind;
        IdentityCipher = cipher;
        IdentityLastFour = lastFour;
    }

    public void ChooseNoticeDelivery(bool byEmail) => NoticesByEmail = byEmail;

    public void UpdateContact(string displayName, string? email, string? phone, string line1, string city, string state, string zip)
    {
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
    public long PremiseId { get; init; }
    public DateOnly OpenedOn { get; init; }
    public DateOnly? ClosedOn { get; private set; }
    public bool CashOnly { get; private set; }

    public static Account Open(string accountNumber, AccountClass accountClass, string cycleCode, long premiseId, DateOnly openedOn) =>
        new() { AccountNumber = accountNumber, Class = accountClass, CycleCode = cycleCode, PremiseId = premiseId, OpenedOn = openedOn, Status = AccountStatus.Active };

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
    public DateOnly? EndedOn { get; init; }
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

    public string FullAddress => $"{AddressLine1}, {City}, {State} {Zip}";
}
