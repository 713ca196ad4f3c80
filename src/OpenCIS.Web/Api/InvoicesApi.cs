using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.Core.Invoices;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Customers;
using OpenCIS.UseCases.Invoices;
using OpenCIS.UseCases.Jobs;
using OpenCIS.Web.Capabilities;
using OpenCIS.Web.Jobs;

namespace OpenCIS.Web.Api;

/// <summary>allowanceGlAccount: where payers' contractual adjustments and hardship waivers of the type are charged (none: the type takes neither).</summary>
public sealed record InvoiceTypeBody(string Name, string RevenueGlAccount, int TermsDays, int? StatementEveryDays, bool Active = true, string? AllowanceGlAccount = null, string? CollectionPolicy = null);

public sealed record InvoiceTypeResponse(string Code, string Name, string RevenueGlAccount, string RevenueAccountName, string FundCode, string FundName, int TermsDays,
    int? StatementEveryDays, bool Active, string UpdatedBy, DateTimeOffset UpdatedAt, string? AllowanceGlAccount, string? CollectionPolicy);

/// <summary>
/// A payer's remittance: payerKind Insurance, Medicare or Medicaid; paid and contractualAdjustment in dollars (Medicaid's
/// adjustment may be left out: it is what the payment leaves); tender "check" or "ach" with its number as reference.
/// </summary>
public sealed record RemittanceBody(string PayerKind, string? PayerName, string ClaimNumber, string Paid, string? ContractualAdjustment, string Tender, string? Reference);

public sealed record RemittanceResponse(long Id, long InvoiceNumber, string PayerKind, string Payer, string ClaimNumber, string Paid, string ContractualAdjustment,
    string PatientResponsibility, string? ReceiptNumber, long? AdjustmentTransactionId, DateOnly ReceivedOn, string PostedBy, DateTimeOffset PostedAt);

public sealed record RemittanceOutcomeResponse(RemittanceResponse Remittance, bool AlreadyPosted, string Message);

/// <summary>A hardship waiver asked for: amount in dollars (empty: all that is open) and the reason.</summary>
public sealed record InvoiceWaiverBody(string? Amount, string Reason);

/// <summary>A Supervisor's decision on a waiver: approve, or not (then the note says why).</summary>
public sealed record InvoiceWaiverDecisionBody(bool Approve, string? Note);

public sealed record WaiverResponse(long Id, long InvoiceNumber, string Type, string PartyName, string AccountNumber, string Amount, string Reason, string Status,
    string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionNote, string? Posted, long? TransactionId, string InvoiceOpen);

public sealed record WaiverOutcomeResponse(WaiverResponse Waiver, bool AlreadyDone, string Message);

public sealed record InvoiceActivityResponse(DateOnly On, long TransactionId, string Type, string What, string Amount);

public sealed record StatementResponse(long Id, long InvoiceNumber, string Type, string PartyName, string AccountNumber, int Sequence, string Heading, DateOnly StatementDate,
    string Open, DateOnly PayBy, string Delivery);

/// <summary>What has happened to an invoice since it was posted: the credits that paid it down, payers' remittances, waivers and statements.</summary>
public sealed record InvoiceHistoryResponse(long Number, IReadOnlyList<InvoiceActivityResponse> Activity, IReadOnlyList<RemittanceResponse> Remittances,
    IReadOnlyList<WaiverResponse> Waivers, IReadOnlyList<StatementResponse> Statements);

public sealed record StatementRunBody(DateOnly? Date);

/// <summary>A new party: kind is "person" or "business"; state two letters; identityNumber an SSN or tax id (stored encrypted).</summary>
public sealed record PartyBody(string? Kind, string Name, string Line1, string City, string State, string Zip, string? Email = null, string? Phone = null,
    string? IdentityNumber = null, DateOnly? BirthDate = null);

/// <summary>One line: quantity defaults to 1; unitPrice in dollars, to at most four decimals.</summary>
public sealed record InvoiceLineBody(string Description, decimal? Quantity, decimal UnitPrice);

/// <summary>The party by customerId, or a new one in party (matched to a customer on file by identity number, name and birth date, or name and address).</summary>
public sealed record InvoiceBody(long? CustomerId, PartyBody? Party, string Type, IReadOnlyList<InvoiceLineBody> Lines, string? Reference = null, string? ParcelId = null, string? Note = null);

public sealed record InvoiceLineResponse(int Number, string Description, decimal Quantity, decimal UnitPrice, string Amount, string Trace);

public sealed record InvoiceResponse(long Number, string Type, string TypeName, long CustomerId, string PartyName, IReadOnlyList<string> MailingAddress, string AccountNumber,
    DateOnly IssuedOn, DateOnly DueOn, string Amount, string Open, string Standing, string? Reference, string? ParcelId, string? Note,
    IReadOnlyList<InvoiceLineResponse> Lines, string CreatedBy, DateTimeOffset CreatedAt, string Source, long TransactionId, string ScanLine);

public sealed record InvoiceOutcomeResponse(InvoiceResponse Invoice, bool AlreadyDone, string Message);

public sealed record InvoiceListItemResponse(long Number, string Type, long CustomerId, string PartyName, string AccountNumber, DateOnly IssuedOn, DateOnly DueOn,
    string Amount, string Open, string Standing, string? Reference);

public sealed record InvoicePageResponse(IReadOnlyList<InvoiceListItemResponse> Items, int Total, int Page, int PageSize, string OpenTotal);

/// <summary>collectibleUntil: the last day the debt is collectible by suit (the statute of limitations from its oldest due date or last payment).</summary>
public sealed record DebtResponse(string Kind, string Reference, string Description, string Status, string Owed, string PastDue, DateOnly? OldestDueOn, DateOnly? CollectibleUntil);

/// <summary>Bankruptcies: each case covering one of the debtor's accounts, with its status ("Open: automatic stay in force", "Discharged 2026-11-02").</summary>
public sealed record DebtorResponse(long CustomerId, string Name, string MaskedIdentity, string MailingAddress, string Owed, string PastDue, IReadOnlyList<DebtResponse> Debts,
    IReadOnlyList<DebtorBankruptcy> Bankruptcies);

public sealed record HoldResponse(long Id, long? CustomerId, string? PartyName, string? ParcelId, string Reason, DateOnly PlacedOn, DateOnly? EndsOn, bool ReleaseWhenPaid,
    string PlacedBy, string State, bool Blocks, string Owed, string? ReleasedBy, DateTimeOffset? ReleasedAt, string? ReleaseNote);

/// <summary>A hold on a party (customerId) or a parcel (parcelId), with a reason; endsOn empty: until released.</summary>
public sealed record HoldBody(long? CustomerId, string? ParcelId, string Reason, DateOnly? EndsOn = null, bool ReleaseWhenPaid = false);

public sealed record HoldReleaseBody(string Note);

public sealed record DebtCheckResponse(long CheckId, string By, string Query, DateOnly AsOf, bool OwesTheCity, string Owed, IReadOnlyList<DebtorResponse> Debtors, bool Held,
    IReadOnlyList<HoldResponse> Holds);

public sealed record InvoiceImportResponse(bool Imported, bool AlreadyImported, int InvoiceCount, string Total, IReadOnlyList<long> InvoiceNumbers, string Message);

/// <summary>
/// City receivables billed by invoice: the types (revenue account, terms), invoices created by staff or by the city's
/// other systems with an Idempotency-Key, a CSV of them checked whole, the list, one invoice and its PDF. Payments take
/// the invoice's account number through every existing channel.
/// </summary>
public static class InvoicesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var types = api.MapGroup("/invoice-types").WithTags("Invoices");
        types.MapGet("/", async (InvoiceTypes workflow, CancellationToken cancellationToken) =>
                TypedResults.Ok((await workflow.ListAsync(cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(InvoicesCapability.ViewInvoices)
            .WithSummary("The invoice types: each with its revenue GL account (and the fund the chart places it in), its payment terms in days and how often an open invoice is restated.");

        types.MapPut("/{code}", async (string code, InvoiceTypeBody body, InvoiceTypes workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.SaveAsync(code, body.Name, body.RevenueGlAccount, body.TermsDays, body.StatementEveryDays, body.Active, ApiUser.Name(context), cancellationToken, body.AllowanceGlAccount, body.CollectionPolicy))))
            .RequireAuthorization(InvoicesCapability.ManageInvoiceTypes)
            .WithSummary("Add or change an invoice type. The revenue account must be in the chart and not one the posting rules use (400 naming revenueGlAccount); terms 0 to 365 days; statements every 7 to 365 days or null; allowanceGlAccount in the chart, not a posting rule's and not the revenue account, or null. Audited.");

        var invoices = api.MapGroup("/invoices").WithTags("Invoices");
        invoices.MapGet("/", async (string? type, string? standing, string? text, long? customerId, string? accountNumber, int? page, InvoiceQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await queries.ListAsync(new InvoiceFilter(type, customerId, standing, text, page ?? 1, accountNumber), cancellationToken))))
            .RequireAuthorization(InvoicesCapability.ViewInvoices)
            .WithSummary("Invoices, newest first, 50 a page: of a type, of a party (customerId) or receivables account (accountNumber), by standing (all, open, pastdue, paid), or whose number, reference or party name matches text.");

        invoices.MapGet("/{number:long}", async Task<Results<Ok<InvoiceResponse>, NotFound>> (long number, InvoiceQueries queries, CancellationToken cancellationToken) =>
                await queries.FindAsync(number, cancellationToken) is { } found ? TypedResults.Ok(ToResponse(found)) : TypedResults.NotFound())
            .RequireAuthorization(InvoicesCapability.ViewInvoices)
            .WithSummary("One invoice: its lines with their calculations, what is still open, its standing and the scan line its stub prints.");

        invoices.MapGet("/{number:long}.pdf", async Task<Results<FileContentHttpResult, NotFound>> (long number, InvoiceQueries queries, BillSettings settings, CancellationToken cancellationToken) =>
                await queries.FindAsync(number, cancellationToken) is { } found
                    ? TypedResults.File(InvoicePdf.Render(found, settings).Pdf, "application/pdf", $"invoice-{found.Number}.pdf")
                    : TypedResults.NotFound())
            .RequireAuthorization(InvoicesCapability.ViewInvoices)
            .WithSummary("The printable invoice (PDF) with its remittance stub and scan line.");

        invoices.MapPost("/", async (InvoiceBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, CreateInvoice workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var request = new CreateInvoiceRequest(body.CustomerId, body.Party is { } party ? ToParty(party) : null, body.Type,
                    [.. (body.Lines ?? []).Select(l => new InvoiceLine(l.Description, l.Quantity ?? 1m, l.UnitPrice))], body.Reference, body.ParcelId, body.Note, idempotencyKey);
                return TypedResults.Ok(ToResponse(await workflow.ExecuteAsync(request, ApiUser.Name(context), CreateInvoice.ApiSource, cancellationToken)));
            })
            .AddEndpointFilter<IdempotencyKeyFilter>()
            .RequireAuthorization(InvoicesCapability.CreateInvoices)
            .WithSummary("Invoice a party (customerId, or a new party) for lines of one type; posted at once to the party's receivables account, due on the type's terms. Send an Idempotency-Key header: the same key and body return the first invoice; another body under it is 422.");

        api.MapGet("/debt-check", async (string? name, string? taxId, string? address, string? parcel, DebtCheck check, HttpContext context, CancellationToken cancellationToken) =>
            {
                var given = new[] { (DebtCheckBy.Name, name), (DebtCheckBy.TaxId, taxId), (DebtCheckBy.Address, address), (DebtCheckBy.Parcel, parcel) }
                    .Where(x => !string.IsNullOrWhiteSpace(x.Item2)).ToList();
                if (given.Count != 1)
                {
                    throw new DomainException("Look up by exactly one of name, taxId, address or parcel.", "query");
                }

                var result = await check.ExecuteAsync(given[0].Item1, given[0].Item2, ApiUser.Name(context), "api", cancellationToken);
                return TypedResults.Ok(new DebtCheckResponse(result.CheckId, result.By.ToString(), result.Query, result.AsOf, result.OwesTheCity, result.Owed.ToPlainString(),
                    [.. result.Debtors.Select(d => new DebtorResponse(d.CustomerId, d.Name, d.MaskedIdentity, d.MailingAddress, d.Owed.ToPlainString(), d.PastDue.ToPlainString(),
                        [.. d.Debts.Select(x => new DebtResponse(x.Kind, x.Reference, x.Description, x.Status, x.Owed.ToPlainString(), x.PastDue.ToPlainString(), x.OldestDueOn, x.CollectibleUntil))],
                        d.Bankruptcies ?? []))],
                    result.Held, [.. result.Holds.Select(ToResponse)]));
            })
            .WithTags("Invoices")
            .RequireAuthorization(InvoicesCapability.CheckDebts)
            .WithSummary("The city-wide debt check: every debt of the people or businesses found by exactly one of name, taxId (SSN or EIN), address or parcel, across utility accounts (active and final), open invoices and pre-petition bankruptcy claims, with each debtor's bankruptcy cases. Each check is logged.");

        var holds = api.MapGroup("/holds").WithTags("Invoices");
        holds.MapGet("/", async (long? customerId, string? parcel, bool? all, HoldBook book, CancellationToken cancellationToken) =>
            {
                if (customerId is null && string.IsNullOrWhiteSpace(parcel))
                {
                    return TypedResults.Ok((await book.OpenAsync(cancellationToken)).Select(ToResponse).ToList());
                }

                return TypedResults.Ok((await book.ForAsync(customerId is { } id ? [id] : [], string.IsNullOrWhiteSpace(parcel) ? [] : [parcel], all != true, cancellationToken))
                    .Select(ToResponse).ToList());
            })
            .RequireAuthorization(InvoicesCapability.CheckDebts)
            .WithSummary("The holds that block a party's (customerId) or a parcel's permits and licences today (all=true: every hold, released ones too); neither: every hold in force. Ask before issuing.");

        holds.MapPost("/", async (HoldBody body, HoldBook book, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await book.PlaceAsync(body.CustomerId, body.ParcelId, body.Reason, body.EndsOn, body.ReleaseWhenPaid, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(InvoicesCapability.PlaceHolds)
            .WithSummary("Place a hold on a party or a parcel with a reason, until endsOn or released; releaseWhenPaid releases it once nothing is owed. Audited.");

        holds.MapPost("/{id:long}/release", async (long id, HoldReleaseBody body, HoldBook book, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await book.ReleaseAsync(id, body.Note, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(InvoicesCapability.PlaceHolds)
            .WithSummary("Release a hold, saying why. Audited.");

        invoices.MapGet("/{number:long}/history", async Task<Results<Ok<InvoiceHistoryResponse>, NotFound>> (long number, InvoiceQueries queries, PostRemittance remittances,
                InvoiceWaivers waivers, InvoiceStatements statements, CancellationToken cancellationToken) =>
            {
                if (await queries.FindAsync(number, cancellationToken) is null)
                {
                    return TypedResults.NotFound();
                }

                return TypedResults.Ok(new InvoiceHistoryResponse(number,
                    [.. (await queries.ActivityAsync(number, cancellationToken)).Select(a => new InvoiceActivityResponse(a.On, a.TransactionId, a.Type.ToString(), a.What, a.Amount.ToPlainString()))],
                    [.. (await remittances.OfInvoiceAsync(number, cancellationToken)).Select(ToResponse)],
                    [.. (await waivers.ListAsync(invoiceNumber: number, cancellationToken: cancellationToken)).Select(ToResponse)],
                    [.. (await statements.ListAsync(null, number, cancellationToken)).Select(ToResponse)]));
            })
            .RequireAuthorization(InvoicesCapability.ViewInvoices)
            .WithSummary("What has happened to an invoice: each credit that paid it down (payments, contractual adjustments, waivers) with the part it took, payers' remittances, waivers and statements.");

        invoices.MapPost("/{number:long}/remittances", async (long number, RemittanceBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, PostRemittance workflow,
                HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!Enum.TryParse<PayerKind>(body.PayerKind?.Trim(), ignoreCase: true, out var payer) || !Enum.IsDefined(payer))
                {
                    throw new DomainException($"'{body.PayerKind}' is not a payer: Insurance, Medicare or Medicaid.", "payerKind");
                }

                if (!OpenCIS.Core.Payments.Tenders.TryParse(body.Tender, out var tender))
                {
                    throw new DomainException($"'{body.Tender}' is not a tender: check or ach.", "tender");
                }

                var request = new RemittanceRequest(number, payer, body.PayerName, body.ClaimNumber, Money.ParseField(body.Paid, "paid"),
                    string.IsNullOrWhiteSpace(body.ContractualAdjustment) ? null : Money.ParseField(body.ContractualAdjustment, "contractualAdjustment"), tender, body.Reference, idempotencyKey);
                var outcome = await workflow.ExecuteAsync(request, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(new RemittanceOutcomeResponse(ToResponse(outcome.Remittance), outcome.AlreadyPosted, outcome.Message));
            })
            .AddEndpointFilter<IdempotencyKeyFilter>()
            .RequireAuthorization(InvoicesCapability.PostRemittances)
            .WithSummary("Post a payer's remittance on an invoice (its explanation of benefits): the payment pays the invoice first, the contractual adjustment is charged to the type's allowance account. Medicaid's payment is payment in full. Send an Idempotency-Key header.");

        invoices.MapPost("/{number:long}/waivers", async (long number, InvoiceWaiverBody body, InvoiceWaivers workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var outcome = await workflow.RequestAsync(number, string.IsNullOrWhiteSpace(body.Amount) ? null : Money.ParseField(body.Amount, "amount"), body.Reason, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(ToResponse(outcome));
            })
            .RequireAuthorization(InvoicesCapability.RequestWaivers)
            .WithSummary("Ask for a hardship waiver of an invoice (all that is open, or an amount) with its reason; it posts nothing until a Supervisor approves it. One waits per invoice at a time.");

        var waivers = api.MapGroup("/invoice-waivers").WithTags("Invoices");
        waivers.MapGet("/", async (string? status, InvoiceWaivers workflow, CancellationToken cancellationToken) =>
            {
                WaiverStatus? wanted = null;
                if (!string.IsNullOrWhiteSpace(status) && !status.Equals("all", StringComparison.OrdinalIgnoreCase))
                {
                    wanted = Enum.TryParse<WaiverStatus>(status.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                        ? parsed
                        : throw new DomainException($"'{status}' is not a waiver status: pending, approved, rejected or all.", "status");
                }

                return TypedResults.Ok((await workflow.ListAsync(wanted, cancellationToken: cancellationToken)).Select(ToResponse).ToList());
            })
            .RequireAuthorization(InvoicesCapability.ViewInvoices)
            .WithSummary("Hardship waivers, newest first: status pending (waiting for a Supervisor), approved, rejected, or all.");

        waivers.MapPost("/{id:long}/decision", async (long id, InvoiceWaiverDecisionBody body, InvoiceWaivers workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.DecideAsync(id, body.Approve, body.Note, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(InvoicesCapability.ApproveWaivers)
            .WithSummary("A Supervisor approves a waiver (posting at most what is still open; never the one who asked) or rejects it with a note. The same decision again changes nothing.");

        var statementsApi = api.MapGroup("/invoice-statements").WithTags("Invoices");
        statementsApi.MapGet("/", async (DateOnly? date, long? invoiceNumber, InvoiceStatements statements, BusinessCalendar calendar, CancellationToken cancellationToken) =>
                TypedResults.Ok((await statements.ListAsync(invoiceNumber is null ? date ?? calendar.Today() : date, invoiceNumber, cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(InvoicesCapability.ViewInvoices)
            .WithSummary("The patient statements of a date (default today), or of an invoice (invoiceNumber): first, second and final notice, each with what was open and how it went.");

        statementsApi.MapGet("/{id:long}.pdf", async Task<Results<FileContentHttpResult, NotFound>> (long id, InvoiceStatements statements, CancellationToken cancellationToken) =>
                await statements.PdfAsync(id, cancellationToken) is { } file ? TypedResults.File(file.Pdf, "application/pdf", file.FileName) : TypedResults.NotFound())
            .RequireAuthorization(InvoicesCapability.ViewInvoices)
            .WithSummary("One statement as the patient got it (PDF), with the invoice's activity up to its date and a stub whose scan line carries what was open.");

        statementsApi.MapGet("/print", async Task<Results<FileContentHttpResult, NotFound>> (DateOnly date, InvoiceStatements statements, CancellationToken cancellationToken) =>
                await statements.PrintFileAsync(date, cancellationToken) is { } file ? TypedResults.File(file.Pdf, "application/pdf", file.FileName) : TypedResults.NotFound())
            .RequireAuthorization(InvoicesCapability.ViewInvoices)
            .WithSummary("The date's statements to mail as one PDF, a page each in invoice order (404 when none went by mail).");

        statementsApi.MapPost("/runs", async (StatementRunBody body, StartJob start, BusinessCalendar calendar, HttpContext context, CancellationToken cancellationToken) =>
                await JobStarts.AcceptAsync(start, InvoiceStatementsJob.Request(body.Date ?? calendar.Today()), ApiUser.Name(context), cancellationToken))
            .RequireAuthorization(InvoicesCapability.RunStatements)
            .WithSummary("Write the statements due on a date (default today) as a job: 202 with the job. The daily collections run writes them too; a second run of a date writes nothing again.");

        invoices.MapPost("/import", ImportAsync)
            .RequireAuthorization(InvoicesCapability.CreateInvoices)
            .DisableAntiforgery()
            .WithSummary("Post a CSV of invoices (form field 'file'; columns in docs/invoice-import.md). Any problem, named by line and field, and nothing is posted (400); the same file again posts nothing.");
    }

    private static async Task<Results<Ok<InvoiceImportResponse>, ValidationProblem>> ImportAsync(IFormFile file, ImportInvoices workflow, HttpContext context, CancellationToken cancellationToken)
    {
        if (file.Length > ServiceApi.ImportBytesMax)
        {
            throw new DomainException($"An invoice file is at most {ServiceApi.ImportBytesMax:N0} bytes.", "file");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var outcome = await workflow.ExecuteAsync(Path.GetFileName(file.FileName), buffer.ToArray(), ApiUser.Name(context), cancellationToken);
        return outcome.Imported || outcome.AlreadyImported
            ? TypedResults.Ok(new InvoiceImportResponse(outcome.Imported, outcome.AlreadyImported, outcome.InvoiceCount, outcome.Total.ToPlainString(), outcome.InvoiceNumbers, outcome.Message))
            : CollectionPoliciesApi.Problem(outcome.Errors, outcome.Message);
    }

    internal static ApplyingCustomer ToParty(PartyBody party)
    {
        var kind = CustomerKind.Person;
        if (party.Kind is { Length: > 0 } text && (!Enum.TryParse(text.Trim(), ignoreCase: true, out kind) || !Enum.IsDefined(kind)))
        {
            throw new DomainException($"'{party.Kind}' is not person or business.", "party.kind");
        }

        return new ApplyingCustomer(kind, party.Name, party.BirthDate, null, party.IdentityNumber, party.Phone, party.Email, party.Line1, party.City, party.State, party.Zip);
    }

    private static RemittanceResponse ToResponse(RemittanceView r) =>
        new(r.Id, r.InvoiceNumber, r.PayerKind.ToString(), r.Payer, r.ClaimNumber, r.Paid.ToPlainString(), r.ContractualAdjustment.ToPlainString(), r.PatientResponsibility.ToPlainString(),
            r.ReceiptNumber, r.AdjustmentTransactionId, r.ReceivedOn, r.PostedBy, r.PostedAt);

    private static WaiverResponse ToResponse(WaiverView w) =>
        new(w.Id, w.InvoiceNumber, w.TypeCode, w.PartyName, w.AccountNumber, w.Amount.ToPlainString(), w.Reason, w.Status.ToString(), w.RequestedBy, w.RequestedAt, w.DecidedBy,
            w.DecidedAt, w.DecisionNote, w.Posted?.ToPlainString(), w.TransactionId, w.InvoiceOpen.ToPlainString());

    private static WaiverOutcomeResponse ToResponse(WaiverOutcome o) => new(ToResponse(o.Waiver), o.AlreadyDone, o.Message);

    private static StatementResponse ToResponse(StatementView s) =>
        new(s.Id, s.InvoiceNumber, s.TypeCode, s.PartyName, s.AccountNumber, s.Sequence, s.Heading, s.StatementDate, s.Open.ToPlainString(), s.PayBy, s.Delivery);

    private static HoldResponse ToResponse(HoldView h) =>
        new(h.Id, h.CustomerId, h.PartyName, h.ParcelId, h.Reason, h.PlacedOn, h.EndsOn, h.ReleaseWhenPaid, h.PlacedBy, h.State.ToString(), h.Blocks, h.Owed.ToPlainString(),
            h.ReleasedBy, h.ReleasedAt, h.ReleaseNote);

    private static InvoiceTypeResponse ToResponse(InvoiceTypeView t) =>
        new(t.Type.Code, t.Type.Name, t.Type.RevenueGlAccount, t.RevenueAccountName, t.FundCode, t.FundName, t.Type.TermsDays, t.Type.StatementEveryDays, t.Type.Active, t.UpdatedBy, t.UpdatedAt, t.Type.AllowanceGlAccount, t.Type.CollectionPolicy);

    private static InvoiceResponse ToResponse(InvoiceView i) =>
        new(i.Number, i.TypeCode, i.TypeName, i.CustomerId, i.PartyName, i.MailingAddress, i.AccountNumber, i.IssuedOn, i.DueOn, i.Amount.ToPlainString(), i.Open.ToPlainString(),
            i.Standing.ToString(), i.Reference, i.ParcelId, i.Note,
            [.. i.Lines.Select(l => new InvoiceLineResponse(l.Number, l.Description, l.Quantity, l.UnitPrice, l.Amount.ToPlainString(), l.Trace))],
            i.CreatedBy, i.CreatedAt, i.Source, i.TransactionId, i.ScanLine);

    private static InvoiceOutcomeResponse ToResponse(InvoiceOutcome o) => new(ToResponse(o.Invoice), o.AlreadyDone, o.Message);

    private static InvoicePageResponse ToResponse(InvoicePage p) =>
        new([.. p.Items.Select(i => new InvoiceListItemResponse(i.Number, i.TypeCode, i.CustomerId, i.PartyName, i.AccountNumber, i.IssuedOn, i.DueOn,
            i.Amount.ToPlainString(), i.Open.ToPlainString(), i.Standing.ToString(), i.Reference))], p.Total, p.Page, p.PageSize, p.OpenTotal.ToPlainString());
}
