using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Common;
using OpenCIS.Core.Pursuit;
using OpenCIS.UseCases;
using OpenCIS.UseCases.Pursuit;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>An agency or the legal office. kind: agency or legal; commissionPercent: e.g. "25" or "18.5"; remittance: net (it keeps its commission) or gross (it bills it).</summary>
public sealed record AgencyBody(string? Code, string? Name, string? Kind, string? CommissionPercent, string? Remittance, string? Contact, bool? Active);

public sealed record AgencyResponse(string Code, string Name, string Kind, string CommissionPercent, string Remittance, string Contact, bool Active, int OpenReferrals, string OpenAmount,
    string Collected, string Commission);

/// <summary>A referral made by hand: the final account, the agency or legal office's code, and why.</summary>
public sealed record ReferralBody(string? AccountNumber, string? Agency, string? Reason);

public sealed record RecallBody(string? Reason);

public sealed record ReferralResponse(long Id, string AccountNumber, string CustomerName, string Agency, string AgencyName, string Kind, DateOnly ReferredOn, string Referred, string ReferredBy,
    string Reason, string Status, DateOnly? ClosedOn, string? ClosedBy, string? CloseReason, long? PlacementFileId, long? RecallFileId, string Collected, string Commission, string BalanceNow);

public sealed record ReferralOutcomeResponse(ReferralResponse Referral, bool AlreadyDone, string Message);

public sealed record PursuitStepResponse(string AccountNumber, string Action, string Reason);

public sealed record PursuitRunResponse(DateOnly BusinessDate, int Looked, int Transfers, int Referrals, int Recalls, int Closed, int ReadyToWriteOff, IReadOnlyList<PursuitStepResponse> Steps, string Message);

public sealed record WriteOffCandidateResponse(string AccountNumber, string CustomerName, string Balance, int DaysPastDue, DateOnly DecidedOn, string Reason, string PolicyCode);

public sealed record PlacementFileResponse(long Id, string Agency, DateOnly CreatedOn, string CreatedBy, int Placements, int Recalls, string Placed, string FileName, string Message);

public sealed record AgencyPaymentFileResponse(bool Posted, bool AlreadyImported, long? RemittanceId, int Lines, string Collected, string Commission, string Remitted, string Recovered, string Message);

/// <summary>
/// Final-bill pursuit over HTTP: the agencies and legal office, referrals made and recalled, the daily pursuit, the accounts ready to write off,
/// placement files made and downloaded, and agencies' payment files posted.
/// </summary>
public static class PursuitApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var agencies = api.MapGroup("/collection-agencies").WithTags("Final-bill pursuit");
        agencies.MapGet("/", async (CollectionAgencies workflow, CancellationToken cancellationToken) =>
                TypedResults.Ok((await workflow.ListAsync(cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(PursuitCapability.ViewPursuit)
            .WithSummary("The collection agencies and the legal office, with their open referrals and what they have collected.");

        agencies.MapPut("/{code}", async (string code, AgencyBody body, CollectionAgencies workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.SaveAsync(ToRequest(code, body), ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(PursuitCapability.ManageAgencies)
            .WithSummary("Add or change an agency by its code (what policies name): its name, kind (agency or legal), commission percent and remittance basis (net or gross).");

        agencies.MapPost("/{code}/placement-files", async (string code, PlacementFiles workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.CreateAsync(code, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(PursuitCapability.ReferAccounts)
            .WithSummary("Make the agency's placement file: its referrals not yet sent and its recalls (docs/agency-files.md). Nothing to send makes no file (id 0).");

        agencies.MapGet("/{code}/placement-files", async (string code, PlacementFiles workflow, CancellationToken cancellationToken) =>
                TypedResults.Ok((await workflow.ListAsync(code, cancellationToken)).Select(f => ToResponse(f, "")).ToList()))
            .RequireAuthorization(PursuitCapability.ViewPursuit)
            .WithSummary("The agency's placement files, newest first.");

        agencies.MapPost("/{code}/payment-files", ImportAsync)
            .RequireAuthorization(PursuitCapability.PostAgencyPayments)
            .DisableAntiforgery()
            .WithSummary("Post the agency's payment file (form field 'file'; columns in docs/agency-files.md): each payment on its referral's account with the commission. Any problem, named by line and field, and nothing is posted (400); the same file again posts nothing.");

        api.MapGet("/placement-files/{id:long}", async (long id, PlacementFiles workflow, CancellationToken cancellationToken) =>
            {
                var file = await workflow.FindAsync(id, cancellationToken);
                return TypedResults.File(Encoding.UTF8.GetBytes(file.Content), "text/csv", file.File!.FileName);
            })
            .WithTags("Final-bill pursuit")
            .RequireAuthorization(PursuitCapability.ViewPursuit)
            .WithSummary("A placement file as it was sent (CSV).");

        var referrals = api.MapGroup("/referrals").WithTags("Final-bill pursuit");
        referrals.MapGet("/", async (string? agency, string? status, string? accountNumber, Referrals workflow, CancellationToken cancellationToken) =>
                TypedResults.Ok((await workflow.ListAsync(new ReferralFilter(agency, ParseStatus(status), accountNumber), cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(PursuitCapability.ViewPursuit)
            .WithSummary("Referrals, newest first, by agency code, status (open, recalled, paidinfull) or account number.");

        referrals.MapGet("/{id:long}", async (long id, Referrals workflow, CancellationToken cancellationToken) => TypedResults.Ok(ToResponse(await workflow.FindAsync(id, cancellationToken))))
            .RequireAuthorization(PursuitCapability.ViewPursuit)
            .WithSummary("One referral, with what the agency has collected and the balance now.");

        referrals.MapPost("/", async (ReferralBody body, Referrals workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.ReferAsync(body.AccountNumber ?? "", body.Agency ?? "", body.Reason, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(PursuitCapability.ReferAccounts)
            .WithSummary("Refer a final account's whole balance to an agency or the legal office by hand, with the reason. Asking again for the same agency does nothing again.");

        referrals.MapPost("/{id:long}/recall", async (long id, RecallBody body, Referrals workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await workflow.RecallAsync(id, body.Reason, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(PursuitCapability.ReferAccounts)
            .WithSummary("Recall an open referral with the reason; the recall goes out on the agency's next placement file.");

        var pursuit = api.MapGroup("/pursuit").WithTags("Final-bill pursuit");
        pursuit.MapPost("/runs", async (DateOnly? businessDate, PursueFinalBills workflow, BusinessCalendar calendar, HttpContext context, CancellationToken cancellationToken) =>
            {
                var outcome = await workflow.ExecuteAsync(businessDate ?? calendar.Today(), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(new PursuitRunResponse(outcome.BusinessDate, outcome.Looked, outcome.Transfers, outcome.Referrals, outcome.Recalls, outcome.Closed, outcome.ReadyToWriteOff,
                    [.. outcome.Steps.Select(s => new PursuitStepResponse(s.AccountNumber, s.Action.ToString(), s.Reason))], outcome.Message));
            })
            .RequireAuthorization(PursuitCapability.RunPursuit)
            .WithSummary("Run the final-bill pursuit for a business date (default today), after that date's collections run: transfers, referrals, recalls. The daily collections job runs it too; a second run of a date does nothing again.");

        pursuit.MapGet("/ready-to-write-off", async (PursueFinalBills workflow, CancellationToken cancellationToken) =>
                TypedResults.Ok((await workflow.ReadyToWriteOffAsync(cancellationToken))
                    .Select(c => new WriteOffCandidateResponse(c.AccountNumber, c.CustomerName, Money.FromCents(c.BalanceCents).ToPlainString(), c.DaysPastDue, c.DecidedOn, c.Reason, c.PolicyCode)).ToList()))
            .RequireAuthorization(PursuitCapability.ViewPursuit)
            .WithSummary("Final accounts the pursuit found ready to write off, oldest debt first; a Supervisor writes each off through POST /api/accounts/{accountNumber}/write-offs.");
    }

    private static async Task<Results<Ok<AgencyPaymentFileResponse>, ValidationProblem>> ImportAsync(string code, IFormFile file, AgencyPayments workflow, HttpContext context,
        CancellationToken cancellationToken)
    {
        if (file.Length > ServiceApi.ImportBytesMax)
        {
            throw new DomainException($"A payment file is at most {ServiceApi.ImportBytesMax:N0} bytes.", "file");
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var outcome = await workflow.ImportAsync(code, Path.GetFileName(file.FileName), buffer.ToArray(), ApiUser.Name(context), cancellationToken);
        return outcome.Posted || outcome.AlreadyImported
            ? TypedResults.Ok(new AgencyPaymentFileResponse(outcome.Posted, outcome.AlreadyImported, outcome.RemittanceId, outcome.Lines, Money.FromCents(outcome.CollectedCents).ToPlainString(),
                Money.FromCents(outcome.CommissionCents).ToPlainString(), Money.FromCents(outcome.RemittedCents).ToPlainString(), Money.FromCents(outcome.RecoveredCents).ToPlainString(), outcome.Message))
            : CollectionPoliciesApi.Problem(outcome.Errors, outcome.Message);
    }

    internal static AgencyRequest ToRequest(string code, AgencyBody body)
    {
        var kind = ReferralKind.Agency;
        if (body.Kind is { Length: > 0 } kindText && (!Enum.TryParse(kindText.Trim(), ignoreCase: true, out kind) || !Enum.IsDefined(kind)))
        {
            throw new DomainException($"'{body.Kind}' is not a kind: agency or legal.", "kind");
        }

        var remittance = RemittanceBasis.Net;
        if (body.Remittance is { Length: > 0 } basisText && (!Enum.TryParse(basisText.Trim(), ignoreCase: true, out remittance) || !Enum.IsDefined(remittance)))
        {
            throw new DomainException($"'{body.Remittance}' is not a remittance basis: net or gross.", "remittance");
        }

        var percent = 0m;
        if (body.CommissionPercent is { Length: > 0 } percentText
            && !decimal.TryParse(percentText.Trim().TrimEnd('%'), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out percent))
        {
            throw new DomainException($"'{body.CommissionPercent}' is not a percent.", "commissionPercent");
        }

        return new AgencyRequest(code, body.Name ?? "", kind, percent, remittance, body.Contact, body.Active ?? true);
    }

    private static ReferralStatus? ParseStatus(string? status) =>
        string.IsNullOrWhiteSpace(status) || string.Equals(status.Trim(), "all", StringComparison.OrdinalIgnoreCase)
            ? null
            : Enum.TryParse<ReferralStatus>(status.Trim(), ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw new DomainException($"'{status}' is not a referral status: open, recalled, paidinfull or all.", "status");

    private static AgencyResponse ToResponse(AgencyView a) => new(a.Code, a.Name, a.Kind.ToString(), a.CommissionPercent.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture),
        a.Remittance.ToString(), a.Contact, a.Active, a.OpenReferrals, Money.FromCents(a.OpenCents).ToPlainString(), Money.FromCents(a.CollectedCents).ToPlainString(),
        Money.FromCents(a.CommissionCents).ToPlainString());

    private static ReferralResponse ToResponse(ReferralView r) => new(r.Id, r.AccountNumber, r.CustomerName, r.AgencyCode, r.AgencyName, r.Kind.ToString(), r.ReferredOn,
        Money.FromCents(r.ReferredCents).ToPlainString(), r.ReferredBy, r.Reason, r.Status.ToString(), r.ClosedOn, r.ClosedBy, r.CloseReason, r.PlacementFileId, r.RecallFileId,
        Money.FromCents(r.CollectedCents).ToPlainString(), Money.FromCents(r.CommissionCents).ToPlainString(), Money.FromCents(r.BalanceCents).ToPlainString());

    private static ReferralOutcomeResponse ToResponse(ReferralOutcome o) => new(ToResponse(o.Referral), o.AlreadyDone, o.Message);

    private static PlacementFileResponse ToResponse(PlacementFileOutcome o) =>
        o.File is null ? new PlacementFileResponse(0, "", default, "", 0, 0, "0.00", "", o.Message) : ToResponse(o.File, o.Message);

    private static PlacementFileResponse ToResponse(PlacementFileView f, string message) =>
        new(f.Id, f.AgencyCode, f.CreatedOn, f.CreatedBy, f.Placements, f.Recalls, Money.FromCents(f.PlacedCents).ToPlainString(), f.FileName, message);
}
