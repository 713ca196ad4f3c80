using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Assistance;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.UseCases.Assistance;
using OpenCIS.Web.Capabilities;

using static OpenCIS.Web.Api.ApiText;

namespace OpenCIS.Web.Api;

public sealed record ProgramBody(string? Code, string? Name, string? Eligibility, int? VerificationMonths, bool Active = true);

public sealed record EnrollBody(string? ProgramCode, DateOnly? EnrolledOn, DateOnly? VerifiedOn, DateOnly? ExpiresOn, string? Note);

public sealed record VerifyEnrollmentBody(DateOnly? VerifiedOn, DateOnly? ExpiresOn);

public sealed record EndEnrollmentBody(DateOnly? EndedOn, string? Note);

public sealed record PledgeBody(string? Agency, string? Amount, DateOnly? PledgedOn, DateOnly ExpectedBy, string? Note);

public sealed record PayPledgeBody(string? Tender, string? Reference);

public sealed record LinkPledgeBody(long PaymentId);

public sealed record ClosePledgeBody(string? Status, string? Note);

public sealed record PledgeResponse(long Id, string AccountNumber, string Agency, string Amount, DateOnly PledgedOn, DateOnly ExpectedBy, string Status, bool Overdue,
    long? PaymentId, string? ReceiptNumber, DateOnly? PaidOn, string? Paid, string RecordedBy, string? ClosedBy, string? Note);

public sealed record PledgePaidResponse(PledgeResponse Pledge, string ReceiptNumber, bool AlreadyPosted);

public sealed record PledgeTotalsResponse(string Agency, int OpenCount, string Open, int OverdueCount, string Overdue, int PaidCount, string Paid, int ClosedCount, string Closed);

public sealed record PledgeReportResponse(DateOnly From, DateOnly To, DateOnly AsOf, string? Agency, IReadOnlyList<PledgeTotalsResponse> Agencies, PledgeTotalsResponse Total, IReadOnlyList<PledgeResponse> Pledges);

/// <summary>
/// Assistance programs through the API: the programs (with the tariff charges each gives), an account's enrollments, and
/// agencies' pledges with their report. Posting a pledge's payment moves money and honours an Idempotency-Key header.
/// </summary>
public static class AssistanceApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var programs = api.MapGroup("/programs").WithTags("Assistance");
        programs.MapGet("/", async (AssistancePrograms work, CancellationToken cancellationToken) => TypedResults.Ok(await work.ListAsync(cancellationToken)))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The assistance programs, each with the tariff charges limited to it (for_programs) and the accounts it counts for today.");
        programs.MapPost("/", async (ProgramBody body, AssistancePrograms work, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await work.SaveAsync(new ProgramDefinition(body.Code ?? "", body.Name ?? "", body.Eligibility, body.VerificationMonths, body.Active), ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(AssistanceCapability.ManagePrograms)
            .WithSummary("Add a program or change one {code, name, eligibility, verificationMonths, active}. A bad field is 400 naming it. Audited.");

        var accounts = api.MapGroup("/accounts").WithTags("Assistance");
        accounts.MapGet("/{accountNumber}/enrollments", async (string accountNumber, ProgramEnrollmentWork work, CancellationToken cancellationToken) =>
                TypedResults.Ok(await work.OfAccountAsync(accountNumber, cancellationToken)))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The account's program enrollments, open ones first, each with whether it counts today and through when.");
        accounts.MapPost("/{accountNumber}/enrollments", async (string accountNumber, EnrollBody body, ProgramEnrollmentWork work, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await work.EnrollAsync(new EnrollRequest(accountNumber, body.ProgramCode ?? "", body.EnrolledOn, body.VerifiedOn, body.ExpiresOn, body.Note), ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(AssistanceCapability.EnrollPrograms)
            .WithSummary("Enroll the account in a program {programCode, enrolledOn (default today), verifiedOn, expiresOn, note}.");
        accounts.MapGet("/{accountNumber}/pledges", async (string accountNumber, PledgeQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok((await queries.OfAccountAsync(accountNumber, cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(CustomersCapability.ViewAccounts)
            .WithSummary("The account's energy-assistance pledges, open ones first; an open one past its expected date is overdue.");
        accounts.MapPost("/{accountNumber}/pledges", async Task<Results<Ok<PledgeResponse>, ValidationProblem>> (
                string accountNumber, PledgeBody body, AssistancePledgeWork work, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!Money.TryParse(body.Amount, out var amount))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("amount", $"'{body.Amount}' is not an amount in dollars and cents.");
                }

                return TypedResults.Ok(ToResponse(await work.RecordAsync(new RecordPledgeRequest(accountNumber, body.Agency ?? "", amount, body.PledgedOn, body.ExpectedBy, body.Note), ApiUser.Name(context), cancellationToken)));
            })
            .RequireAuthorization(AssistanceCapability.RecordPledges)
            .WithSummary("Record an agency's pledge {agency, amount, pledgedOn (default today), expectedBy, note}.");

        var enrollments = api.MapGroup("/enrollments").WithTags("Assistance");
        enrollments.MapPost("/{id:long}/verify", async (long id, VerifyEnrollmentBody? body, ProgramEnrollmentWork work, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await work.VerifyAsync(id, body?.VerifiedOn, body?.ExpiresOn, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(AssistanceCapability.EnrollPrograms)
            .WithSummary("Record a new verification {verifiedOn (default today), expiresOn}: the enrollment counts again for the program's interval.");
        enrollments.MapPost("/{id:long}/end", async (long id, EndEnrollmentBody? body, ProgramEnrollmentWork work, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await work.EndAsync(id, body?.EndedOn, body?.Note, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(AssistanceCapability.EnrollPrograms)
            .WithSummary("End the enrollment {endedOn (default today), note}: it no longer counts from that day.");

        MapPledges(api);
    }

    private static void MapPledges(RouteGroupBuilder api)
    {
        var pledges = api.MapGroup("/pledges").WithTags("Assistance");
        pledges.MapGet("/", async Task<Results<Ok<PledgeReportResponse>, ValidationProblem>> (string? from, string? to, string? agency, PledgeQueries queries, CancellationToken cancellationToken) =>
            {
                if (!TryDate(from, out var start))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("from", $"'{from}' is not a date in the form YYYY-MM-DD.");
                }

                if (!TryDate(to, out var end))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("to", $"'{to}' is not a date in the form YYYY-MM-DD.");
                }

                return TypedResults.Ok(ToResponse(await queries.ReportAsync(start, end, agency, cancellationToken)));
            })
            .RequireAuthorization(ReportsCapability.ViewReports)
            .WithSummary("The pledges report: pledges made from 'from' through 'to' (and of one agency), open, overdue, paid and closed by agency, with totals.");
        pledges.MapPost("/{id:long}/payment", async Task<Results<Ok<PledgePaidResponse>, ValidationProblem>> (
                long id, PayPledgeBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, AssistancePledgeWork work, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!Tenders.TryParse(body.Tender, out var tender))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("tender", $"'{body.Tender}' is not one of check, money order, card, ach.");
                }

                if (IdempotencyFilter.KeyProblem(idempotencyKey) is { } tooLong)
                {
                    return tooLong;
                }

                var paid = await work.PayAsync(new PayPledgeRequest(id, tender, body.Reference, idempotencyKey), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(new PledgePaidResponse(ToResponse(paid.Pledge), paid.ReceiptNumber, paid.AlreadyPosted));
            })
            .RequireAuthorization(PaymentsCapability.TakePayments)
            .AddEndpointFilter<IdempotencyKeyFilter>()
            .WithSummary("Post the agency's payment for the pledge's amount {tender, reference} and mark it paid. Send an Idempotency-Key header: a repeat posts nothing and returns the first receipt.");
        pledges.MapPost("/{id:long}/link", async (long id, LinkPledgeBody body, AssistancePledgeWork work, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await work.LinkPaymentAsync(id, body.PaymentId, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(AssistanceCapability.RecordPledges)
            .WithSummary("Mark the pledge paid by a payment already posted to its account {paymentId}.");
        pledges.MapPost("/{id:long}/close", async (long id, ClosePledgeBody body, AssistancePledgeWork work, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await work.CloseAsync(id, Enum.TryParse<PledgeStatus>(body.Status, true, out var status) ? status : PledgeStatus.Pledged, body.Note, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(AssistanceCapability.RecordPledges)
            .WithSummary("Close the pledge unpaid {status: Cancelled or Expired, note}.");
    }

    public static PledgeResponse ToResponse(PledgeView p) => new(p.Id, p.AccountNumber, p.Agency, Dollars(p.AmountCents), p.PledgedOn, p.ExpectedBy, p.Status.ToString(), p.Overdue,
        p.PaymentId, p.ReceiptNumber, p.PaidOn, p.PaidCents is { } paid ? Dollars(paid) : null, p.RecordedBy, p.ClosedBy, p.Note);

    private static PledgeTotalsResponse ToResponse(PledgeAgencyTotals t) => new(t.Agency, t.OpenCount, Dollars(t.OpenCents), t.OverdueCount, Dollars(t.OverdueCents),
        t.PaidCount, Dollars(t.PaidCents), t.ClosedCount, Dollars(t.ClosedCents));

    private static PledgeReportResponse ToResponse(PledgeReport r) => new(r.From, r.Through, r.AsOf, r.Agency, r.Agencies.Select(ToResponse).ToList(), ToResponse(r.Total),
        r.Pledges.Select(ToResponse).ToList());
}
