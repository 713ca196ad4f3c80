using System.Globalization;
using OpenCIS.Core.Common;
using OpenCIS.Core.Customers;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Billing.Corrections;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Letters;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record ApplyingCustomerBody(string? Kind, string DisplayName, string? BirthDate, string? IdentityKind, string? IdentityNumber, string? Phone, string? Email,
    string? MailingLine1 = null, string? MailingCity = null, string? MailingState = null, string? MailingZip = null);

public sealed record InitialReadBody(string MeterSerial, long Reading);

public sealed record ServiceChoiceBody(long ServicePointId, string? RateScheduleCode = null, decimal? Units = null);

public sealed record StartServiceBody(
    long? CustomerId,
    ApplyingCustomerBody? Customer,
    long PremiseId,
    string StartDate,
    string? Class,
    List<InitialReadBody>? InitialReads = null,
    bool ReadOrder = false,
    string? NotDuplicateReason = null,
    string? IdentityDocument = null,
    List<ServiceChoiceBody>? Services = null,
    string? CycleCode = null,
    string? DepositWaiverReason = null,
    long? OwnerCustomerId = null,
    ThirdPartyRecipient? ThirdParty = null,
    string? BillDelivery = null,
    bool NoticesByEmail = false,
    bool JoinAsCoApplicant = false);


public sealed record TransferServiceBody(
    string StopDate,
    List<FinalReadingBody>? FinalReadings,
    long PremiseId,
    string? StartDate = null,
    List<InitialReadBody>? InitialReads = null,
    bool ReadOrder = false,
    List<ServiceChoiceBody>? Services = null,
    string? CycleCode = null,
    string? DepositWaiverReason = null,
    string? Reason = null);

public sealed record LandlordAgreementBody(long OwnerCustomerId, string? StartedOn);

public sealed record PremiseBody(string AddressLine1, string City, string State, string Zip, string ParcelId, string OwnerOfRecord, List<string>? Services,
    string? MeterSerial = null, string? MeterSize = null, int? MeterDials = null, long? InitialReading = null);

/// <summary>Start, transfer and landlord agreements: the API of customer service's account work, and the premises it starts service at.</summary>
public static class ServiceApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/customers/matches", async (ApplyingCustomerBody body, CustomerMatches matches, CancellationToken cancellationToken) =>
                TypedResults.Ok(await matches.FindAsync(Applying(body), cancellationToken)))
            .WithTags("Customers")
            .RequireAuthorization(CustomersCapability.StartStopService)
            .WithSummary("Duplicate detection: existing customers who may be the one applying (same SSN or tax id, same name and date of birth, same phone, same e-mail), with why, their accounts and any unpaid final balance.");

        var agreements = api.MapGroup("/agreements").WithTags("Customers");
        agreements.MapGet("/{agreementId:long}/attributes", async (long agreementId, OpenCIS.UseCases.Billing.AgreementAttributes workflow, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.GetAsync(agreementId, cancellationToken)))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("A service agreement's attributes that choose its prices (cart_size, pickups, fire_line_size...).");
        agreements.MapPut("/{agreementId:long}/attributes", async (long agreementId, AgreementAttributesBody body, OpenCIS.UseCases.Billing.AgreementAttributes workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.SetAsync(agreementId, body.Attributes ?? new Dictionary<string, string>(), ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CustomersCapability.StartStopService)
            .WithSummary("Replaces a service agreement's attributes (an empty map clears them); the billing run prices charges chosen by an attribute from them. Audited.");

        var service = api.MapGroup("/service").WithTags("Customers");
        service.MapPost("/start", async (StartServiceBody body, StartService workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(Start(body), ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CustomersCapability.StartStopService)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Start service (move-in): an existing customer (customerId) or a new one (customer; a possible duplicate is refused unless notDuplicateReason says why not), the premise and start date, the class, move-in reads or a read order, optional services with rate schedules, deposit waiver, owner, third-party notice recipient, bill delivery (Paper or Email). Opens the account on the premise's cycle, bills the deposit by the deposit rules, moves an unpaid final balance per the setting and sends the welcome letter. Send an Idempotency-Key header.");

        api.MapPost("/accounts/{accountNumber}/transfer-service", async (string accountNumber, TransferServiceBody body, TransferService workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(new TransferServiceRequest(accountNumber, Date(body.StopDate, "stopDate"),
                    [.. (body.FinalReadings ?? []).Select(r => new FinalReading(r.MeterSerial, r.Reading))], body.PremiseId,
                    body.StartDate is { Length: > 0 } start ? Date(start, "startDate") : null, Reads(body.InitialReads), body.ReadOrder, Choices(body.Services),
                    body.CycleCode, body.DepositWaiverReason, body.Reason), ApiUser.Name(context), cancellationToken)))
            .WithTags("Customers")
            .RequireAuthorization(CustomersCapability.StartStopService)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Transfer service (a move within the city): stops the account at its premise with the final reads and final bill, and starts the same customer at the new premise, by default the day after. The final balance moves per the setting. Send an Idempotency-Key header.");

        var premises = api.MapGroup("/premises").WithTags("Customers");
        premises.MapGet("/", async (string? q, PremiseQueries queries, CancellationToken cancellationToken) => TypedResults.Ok(await queries.FindAsync(q ?? "", cancellationToken)))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("Premises by the start of their street address or by parcel id (?q=), each with its service points, meters and last reads, who is served there, and when service last stopped.");
        premises.MapPost("/", async (PremiseBody body, PremiseInventory inventory, PremiseQueries queries, HttpContext context, CancellationToken cancellationToken) =>
            {
                var id = await inventory.CreateAsync(Premise(body), ApiUser.Name(context), cancellationToken);
                return TypedResults.Created($"/api/premises/{id}", await queries.GetAsync(id, cancellationToken));
            })
            .RequireAuthorization(CustomersCapability.ManageInventory)
            .WithSummary("Add a premise to inventory (new construction): address, parcel, owner of record, services (water and electric are metered), and optionally the water meter the builder set (serial, size, dials, initial reading). A parcel or meter serial already on file is refused, naming the field.");
        premises.MapPost("/import", async Task<IResult> (IFormFile file, PremiseInventory inventory, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (file.Length > ImportBytesMax)
                {
                    throw new DomainException($"A premise file is at most {ImportBytesMax:N0} bytes.", "file");
                }

                using var buffer = new MemoryStream();
                await file.CopyToAsync(buffer, cancellationToken);
                var outcome = await inventory.ImportAsync(Path.GetFileName(file.FileName), buffer.ToArray(), ApiUser.Name(context), cancellationToken);
                return outcome.Imported ? TypedResults.Ok(outcome) : CollectionPoliciesApi.Problem(outcome.Errors, outcome.Message);
            })
            .RequireAuthorization(CustomersCapability.ManageInventory)
            .DisableAntiforgery()
            .WithSummary("Import premises, service points and meters from a CSV file (columns address_line1, city, state, zip, parcel_id, owner_of_record, services, and optionally meter_serial, meter_size, meter_dials, initial_reading). A file with any bad line imports nothing: 400 naming each line and field.");
        premises.MapGet("/{premiseId:long}", async Task<IResult> (long premiseId, PremiseQueries queries, CancellationToken cancellationToken) =>
                await queries.GetAsync(premiseId, cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound())
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("One premise: its service points, meters and last reads, who is served there, when service last stopped, its landlord.");
        premises.MapPost("/{premiseId:long}/landlord-agreements", async (long premiseId, LandlordAgreementBody body, LandlordAgreements agreements, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await agreements.CreateAsync(premiseId, body.OwnerCustomerId, body.StartedOn is { Length: > 0 } on ? Date(on, "startedOn") : null, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CustomersCapability.StartStopService)
            .WithSummary("A landlord agreement: while it runs, a tenant's stop at the premise reverts service to the owner's account from the next day.");
        premises.MapGet("/{premiseId:long}/landlord-agreements", async (long premiseId, LandlordAgreements agreements, CancellationToken cancellationToken) =>
                TypedResults.Ok(await agreements.ForPremiseAsync(premiseId, cancellationToken)))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The premise's landlord agreements, newest first.");

        api.MapGet("/accounts/{accountNumber}/letters", async Task<IResult> (string accountNumber, AccountQueries accounts, LetterQueries letters, CancellationToken cancellationToken) =>
                await accounts.FindAccountIdAsync(accountNumber, cancellationToken) is { } id ? TypedResults.Ok(await letters.ForAccountAsync(id, cancellationToken)) : TypedResults.NotFound())
            .WithTags("Customers")
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("Every letter sent on the account (welcome, final bill, high-bill result, dispute decision), newest first.");
        api.MapGet("/accounts/{accountNumber}/letters/{letterId:long}.pdf", async Task<IResult> (string accountNumber, long letterId, AccountQueries accounts, LetterQueries letters, CancellationToken cancellationToken) =>
                await accounts.FindAccountIdAsync(accountNumber, cancellationToken) is { } id && await letters.PdfAsync(id, letterId, cancellationToken) is { } pdf
                    ? TypedResults.File(pdf.Pdf, "application/pdf", pdf.FileName)
                    : TypedResults.NotFound())
            .WithTags("Customers")
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("A letter as PDF.");
    }

    /// <summary>The largest premise file taken: tens of thousands of lines.</summary>
    public const int ImportBytesMax = 10_000_000;

    public static PremiseRequest Premise(PremiseBody body) => new(
        body.AddressLine1 ?? "", body.City ?? "", body.State ?? "", body.Zip ?? "", body.ParcelId ?? "", body.OwnerOfRecord ?? "",
        [.. (body.Services ?? []).Select(s => Parse<OpenCIS.Core.Billing.Service>(s, default, "services"))],
        string.IsNullOrWhiteSpace(body.MeterSerial) ? null : body.MeterSerial, body.MeterSize, body.MeterDials, body.InitialReading);

    public static ApplyingCustomer Applying(ApplyingCustomerBody body) => new(
        Parse<CustomerKind>(body.Kind, CustomerKind.Person, "kind"),
        body.DisplayName ?? "",
        body.BirthDate is { Length: > 0 } born ? Date(born, "birthDate") : null,
        body.IdentityKind is { Length: > 0 } ? Parse<IdentityNumberKind>(body.IdentityKind, IdentityNumberKind.Ssn, "identityKind") : null,
        body.IdentityNumber, body.Phone, body.Email, body.MailingLine1, body.MailingCity, body.MailingState, body.MailingZip);

    public static StartServiceRequest Start(StartServiceBody body) => new(
        body.CustomerId,
        body.Customer is null ? null : Applying(body.Customer),
        body.PremiseId,
        Date(body.StartDate, "startDate"),
        Parse<AccountClass>(body.Class, AccountClass.Residential, "class"),
        Reads(body.InitialReads),
        body.ReadOrder,
        body.NotDuplicateReason,
        body.IdentityDocument,
        Choices(body.Services),
        body.CycleCode,
        body.DepositWaiverReason,
        body.OwnerCustomerId,
        body.ThirdParty,
        Parse<BillDelivery>(body.BillDelivery, BillDelivery.Paper, "billDelivery"),
        body.NoticesByEmail,
        body.JoinAsCoApplicant);

    private static List<InitialRead>? Reads(List<InitialReadBody>? reads) => reads?.Select(r => new InitialRead(r.MeterSerial, r.Reading)).ToList();

    private static List<ServiceChoice>? Choices(List<ServiceChoiceBody>? choices) => choices?.Select(c => new ServiceChoice(c.ServicePointId, c.RateScheduleCode, c.Units)).ToList();

    private static DateOnly Date(string? text, string field) =>
        IsoDate.TryParse(text?.Trim(), out var date)
            ? date
            : throw new DomainException($"'{text}' is not a date in the form YYYY-MM-DD.", field);

    private static T Parse<T>(string? text, T fallback, string field)
        where T : struct, Enum =>
        string.IsNullOrWhiteSpace(text) ? fallback
        : Enum.TryParse<T>(text.Trim(), ignoreCase: true, out var value) && Enum.IsDefined(value) ? value
        : throw new DomainException($"'{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}.", field);
}

/// <summary>A service agreement's attributes: name to value (cart_size: 96gal).</summary>
public sealed record AgreementAttributesBody(IReadOnlyDictionary<string, string>? Attributes);
