using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Bankruptcy;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Bankruptcy;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>A case to enter. chapter: 7, 11, 12 or 13; petitionDate: the court's filing date; accountNumbers: the accounts it covers.</summary>
public sealed record BankruptcyBody(string? CaseNumber, int Chapter, string? Court, DateOnly PetitionDate, string? DebtorName, string? Attorney, string? Trustee, IReadOnlyList<string>? AccountNumbers);

/// <summary>A trustee's payment: amount in dollars, tender "check" or "ach", the check or EFT number.</summary>
public sealed record TrusteePaymentBody(string? Amount, string? Tender, string? Reference);

/// <summary>A court's order closing a case, with an optional note (the order's date, docket entry).</summary>
public sealed record BankruptcyCloseBody(string? Note);

public sealed record BankruptcyAccountResponse(string AccountNumber, string Holder, string PrePetition, string Paid, string Remaining, string BalanceNow, bool StayInForce);

public sealed record TrusteePaymentLineResponse(string AccountNumber, string Amount, long TransactionId);

public sealed record TrusteePaymentResponse(long Id, string Amount, DateOnly ReceivedOn, string Reference, string PostedBy, DateTimeOffset PostedAt, IReadOnlyList<TrusteePaymentLineResponse> Lines);

/// <summary>A case: the pre-petition claim (what was owed on the petition date), what the trustee paid, what is left, and what the outcome wrote off or returned.</summary>
public sealed record BankruptcyResponse(string CaseNumber, int Chapter, string Court, DateOnly PetitionDate, string DebtorName, string Attorney, string Trustee, string Status, string Description,
    string FiledBy, DateTimeOffset FiledAt, DateOnly? ClosedOn, string? ClosedBy, string? CloseNote, string PrePetition, string Paid, string Remaining, string WrittenOff, string Returned,
    IReadOnlyList<BankruptcyAccountResponse> Accounts, IReadOnlyList<TrusteePaymentResponse> Payments);

public sealed record BankruptcyOutcomeResponse(BankruptcyResponse Case, bool AlreadyDone, string Message);

/// <summary>
/// Bankruptcy cases over HTTP: entered with an Idempotency-Key (the stay on each account, the pre-petition balances moved
/// to the claim), listed, read, the trustee's payments posted, the proof of claim printed, and closed by discharge or dismissal.
/// </summary>
public static class BankruptcyApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/bankruptcy-cases").WithTags("Bankruptcy");
        cases.MapGet("/", async (string? status, BankruptcyCases workflow, CancellationToken cancellationToken) =>
            {
                BankruptcyStatus? wanted = null;
                if (!string.IsNullOrWhiteSpace(status) && !string.Equals(status.Trim(), "all", StringComparison.OrdinalIgnoreCase))
                {
                    wanted = Enum.TryParse<BankruptcyStatus>(status.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                        ? parsed
                        : throw new DomainException($"'{status}' is not a case status: open, discharged, dismissed or all.", "status");
                }

                return TypedResults.Ok((await workflow.ListAsync(wanted, cancellationToken)).Select(ToResponse).ToList());
            })
            .RequireAuthorization(BankruptcyCapability.ViewBankruptcies)
            .WithSummary("Bankruptcy cases, newest petition first: status open, discharged, dismissed, or all (the default).");

        cases.MapGet("/{caseNumber}", async Task<Results<Ok<BankruptcyResponse>, NotFound>> (string caseNumber, BankruptcyCases workflow, CancellationToken cancellationToken) =>
                await workflow.FindOrNullAsync(caseNumber, cancellationToken) is { } found ? TypedResults.Ok(ToResponse(found)) : TypedResults.NotFound())
            .RequireAuthorization(BankruptcyCapability.ViewBankruptcies)
            .WithSummary("One case: its accounts with what each owed on the petition date, what the trustee has paid and what is left, and the trustee's payments.");

        cases.MapPost("/", async (BankruptcyBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, BankruptcyCases workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var outcome = await workflow.FileAsync(new BankruptcyFiling(body.CaseNumber, (BankruptcyChapter)body.Chapter, body.Court, body.PetitionDate, body.DebtorName, body.Attorney,
                    body.Trustee, body.AccountNumbers ?? [], idempotencyKey), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(ToResponse(outcome));
            })
            .AddEndpointFilter<IdempotencyKeyFilter>()
            .RequireAuthorization(BankruptcyCapability.ManageBankruptcies)
            .WithSummary("Enter a case from the court's notice: the automatic stay goes on each account (no collection step, notice or late charge while it lasts) and each account's charges posted on or before the petition date and still open move to the bankruptcy receivable (GL 1260) as the claim. Send an Idempotency-Key header.");

        cases.MapPost("/{caseNumber}/trustee-payments", async (string caseNumber, TrusteePaymentBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, BankruptcyCases workflow,
                HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!OpenCIS.Core.Payments.Tenders.TryParse(body.Tender, out var tender))
                {
                    throw new DomainException($"'{body.Tender}' is not a tender: check or ach.", "tender");
                }

                var outcome = await workflow.PayAsync(new TrusteePaymentRequest(caseNumber, Money.ParseField(body.Amount, "amount"), tender, body.Reference, idempotencyKey),
                    ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(ToResponse(outcome));
            })
            .AddEndpointFilter<IdempotencyKeyFilter>()
            .RequireAuthorization(BankruptcyCapability.PostTrusteePayments)
            .WithSummary("Post a trustee's payment (a Chapter 13 plan's distribution) on the pre-petition claim, oldest first across the case's accounts. Send an Idempotency-Key header.");

        cases.MapPost("/{caseNumber}/discharge", async (string caseNumber, BankruptcyCloseBody body, BankruptcyCases workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.DischargeAsync(caseNumber, body.Note, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(BankruptcyCapability.CloseBankruptcies)
            .WithSummary("A discharge: what is left of the pre-petition claim is written off (reason BANKRUPTCY) and the stay ends.");

        cases.MapPost("/{caseNumber}/dismiss", async (string caseNumber, BankruptcyCloseBody body, BankruptcyCases workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.DismissAsync(caseNumber, body.Note, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(BankruptcyCapability.CloseBankruptcies)
            .WithSummary("A dismissal: what is left of the pre-petition claim goes back on the accounts, due as it was, and the stay ends; collections take it up again.");

        cases.MapGet("/{caseNumber}/proof-of-claim", async Task<Results<FileContentHttpResult, NotFound>> (string caseNumber, BankruptcyCases workflow, ProofOfClaim proof,
                HttpContext context, CancellationToken cancellationToken) =>
            {
                if (await workflow.FindOrNullAsync(caseNumber, cancellationToken) is null)
                {
                    return TypedResults.NotFound();
                }

                var document = await proof.RenderAsync(caseNumber, ApiUser.Name(context), cancellationToken);
                return TypedResults.File(document.Pdf, "application/pdf", document.FileName);
            })
            .RequireAuthorization(BankruptcyCapability.ViewBankruptcies)
            .WithSummary("The city's proof of claim (Official Form 410's parts) as a PDF: the claim as of the petition date, itemized by account and service.");
    }

    private static BankruptcyOutcomeResponse ToResponse(BankruptcyOutcome outcome) => new(ToResponse(outcome.Case), outcome.AlreadyDone, outcome.Message);

    private static BankruptcyResponse ToResponse(BankruptcyCaseView c) => new(c.CaseNumber, (int)c.Chapter, c.Court, c.PetitionDate, c.DebtorName, c.Attorney, c.Trustee, c.Status.ToString(),
        c.Description, c.FiledBy, c.FiledAt, c.ClosedOn, c.ClosedBy, c.CloseNote, c.PrePetition.ToPlainString(), c.Paid.ToPlainString(), c.Remaining.ToPlainString(),
        c.WrittenOff.ToPlainString(), c.Returned.ToPlainString(),
        [.. c.Accounts.Select(a => new BankruptcyAccountResponse(a.AccountNumber, a.Holder, a.PrePetition.ToPlainString(), a.Paid.ToPlainString(), a.Remaining.ToPlainString(),
            a.BalanceNow.ToPlainString(), a.StayInForce))],
        [.. c.Payments.Select(p => new TrusteePaymentResponse(p.Id, p.Amount.ToPlainString(), p.ReceivedOn, p.Reference, p.PostedBy, p.PostedAt,
            [.. p.Lines.Select(l => new TrusteePaymentLineResponse(l.AccountNumber, l.Amount.ToPlainString(), l.TransactionId))]))]);
}
