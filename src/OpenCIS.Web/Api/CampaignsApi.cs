using Microsoft.AspNetCore.Authorization;
using OpenCIS.Core.Campaigns;
using OpenCIS.Core.Common;
using OpenCIS.UseCases.Campaigns;
using OpenCIS.UseCases.Collections;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

/// <summary>
/// A campaign to build. minimumDaysPastDue and maximumDaysPastDue: the aging bucket (e.g. 61 and 90; no maximum for "over"); amounts as
/// strings ("50.00"); debt: any, utility or invoice; outcomes: the codes a call may end with (default when none); collectors: user names.
/// </summary>
public sealed record CampaignBody(string? Name, int? MinimumDaysPastDue, int? MaximumDaysPastDue, string? MinimumBalance, string? MaximumBalance, string? Debt, bool? FinalOnly,
    bool? BrokenPromisesOnly, string? Script, IReadOnlyList<string>? Outcomes, IReadOnlyList<string>? Collectors);

/// <summary>A call on a campaign's target: its outcome code, a note, and for promise-to-pay the amount and date promised.</summary>
public sealed record CampaignCallBody(long? TargetId, string? Outcome, string? Note, string? PromiseAmount, DateOnly? PromiseDate);

public sealed record CampaignTargetResponse(long Id, string AccountNumber, string CustomerName, string? Phone, string? Email, string MailingAddress, string Collector, string Balance,
    int DaysPastDue, string BalanceNow, string Status, int Attempts, string? LastOutcome, DateTimeOffset? LastCalledAt);

public sealed record CollectorResultsResponse(string Collector, int Targets, int Calls, int RightPartyContacts, string RightPartyRate, int Promises, string Promised, string Collected);

public sealed record CampaignResponse(long Id, string Name, string Status, string Criteria, string Script, IReadOnlyList<string> Outcomes, IReadOnlyList<string> Collectors,
    DateOnly CreatedOn, string CreatedBy, DateOnly? ClosedOn, int Open, string Owed, IReadOnlyList<CampaignTargetResponse> Targets, IReadOnlyList<CollectorResultsResponse> Results);

public sealed record CampaignSummaryResponse(long Id, string Name, string Status, string Criteria, DateOnly CreatedOn, string CreatedBy, int Targets, int Open, string Owed);

public sealed record CampaignCallResponse(CampaignTargetResponse Target, string Message);

/// <summary>Calling campaigns over HTTP: build one, read its list and results, log calls with their outcomes and promises, close it, and export it as CSV or XLSX.</summary>
public static class CampaignsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var campaigns = api.MapGroup("/campaigns").WithTags("Calling campaigns");
        campaigns.MapGet("/", async (CallingCampaignBook book, CancellationToken cancellationToken) =>
                TypedResults.Ok((await book.ListAsync(cancellationToken)).Select(c => new CampaignSummaryResponse(c.Id, c.Name, c.Status.ToString(), c.Criteria, c.CreatedOn, c.CreatedBy,
                    c.Targets, c.Open, c.Owed.ToPlainString())).ToList()))
            .RequireAuthorization(CampaignCapability.ViewCampaigns)
            .WithSummary("The calling campaigns, newest first, with their criteria in words and how much of each list is still to be called.");

        campaigns.MapPost("/", async (CampaignBody body, CallingCampaignBook book, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await book.CreateAsync(ToRequest(body), ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(CampaignCapability.ManageCampaigns)
            .WithSummary("Build a campaign: every account matching the criteria (accounts in a bankruptcy case or with an agency are left off), dealt to the collectors in lists as long as each other and worth about the same.");

        campaigns.MapGet("/{id:long}", async (long id, string? collector, CallingCampaignBook book, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await book.FindAsync(id, collector, cancellationToken))))
            .RequireAuthorization(CampaignCapability.ViewCampaigns)
            .WithSummary("A campaign: its script and outcome codes, its list (one collector's with ?collector=), and each collector's calls, right-party contacts, promises, promised and collected.");

        campaigns.MapPost("/{id:long}/calls", async (long id, CampaignCallBody body, CallingCampaignBook book, IAuthorizationService authorization, HttpContext context, CancellationToken cancellationToken) =>
            {
                var anyList = (await authorization.AuthorizeAsync(context.User, CampaignCapability.ManageCampaigns)).Succeeded;
                var outcome = await book.LogCallAsync(id, ToRequest(body), ApiUser.Name(context), cancellationToken, anyList);
                return TypedResults.Ok(new CampaignCallResponse(ToResponse(outcome.Target), outcome.Message));
            })
            .RequireAuthorization(CampaignCapability.CallCampaigns)
            .WithSummary("Log a call on a target on the caller's own list (a Supervisor may log one on anyone's): the contact on the account with its outcome code, and for promise-to-pay the promise (amount and date).");

        campaigns.MapPost("/{id:long}/close", async (long id, CallingCampaignBook book, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(ToResponse(await book.CloseAsync(id, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(CampaignCapability.ManageCampaigns)
            .WithSummary("Close a campaign: no more calls; its list and results stay.");

        campaigns.MapGet("/{id:long}/export.csv", async (long id, CampaignExport export, CancellationToken cancellationToken) =>
            {
                var file = await export.CsvAsync(id, cancellationToken);
                return TypedResults.File(file.Content, file.ContentType, file.FileName);
            })
            .RequireAuthorization(CampaignCapability.ViewCampaigns)
            .WithSummary("The campaign's list as CSV.");

        campaigns.MapGet("/{id:long}/export.xlsx", async (long id, CampaignExport export, CancellationToken cancellationToken) =>
            {
                var file = await export.XlsxAsync(id, cancellationToken);
                return TypedResults.File(file.Content, file.ContentType, file.FileName);
            })
            .RequireAuthorization(CampaignCapability.ViewCampaigns)
            .WithSummary("The campaign's list and each collector's results as an XLSX workbook.");
    }

    internal static CampaignRequest ToRequest(CampaignBody body)
    {
        var debt = CampaignDebt.Any;
        if (body.Debt is { Length: > 0 } text && (!Enum.TryParse(text.Trim(), ignoreCase: true, out debt) || !Enum.IsDefined(debt)))
        {
            throw new DomainException($"'{body.Debt}' is not a debt type: any, utility or invoice.", "debt");
        }

        var minimum = string.IsNullOrWhiteSpace(body.MinimumBalance) ? Money.Zero : Money.ParseField(body.MinimumBalance, "minimumBalance");
        Money? maximum = string.IsNullOrWhiteSpace(body.MaximumBalance) ? null : Money.ParseField(body.MaximumBalance, "maximumBalance");
        return new CampaignRequest(body.Name ?? "", new CampaignCriteria(body.MinimumDaysPastDue ?? 1, body.MaximumDaysPastDue, minimum, maximum, debt, body.FinalOnly == true,
            body.BrokenPromisesOnly == true), body.Script, body.Outcomes, body.Collectors ?? []);
    }

    internal static CampaignCallRequest ToRequest(CampaignCallBody body)
    {
        PromiseTerms? promise = null;
        if (!string.IsNullOrWhiteSpace(body.PromiseAmount) || body.PromiseDate is not null)
        {
            var amount = Money.ParseField(body.PromiseAmount, "promiseAmount");
            promise = new PromiseTerms(body.PromiseDate ?? throw new DomainException("Give the date the debtor promised to pay by.", "promiseDate"), amount);
        }

        return new CampaignCallRequest(body.TargetId ?? throw new DomainException("Name the target called.", "targetId"), body.Outcome ?? "", body.Note, promise);
    }

    internal static CampaignTargetResponse ToResponse(CampaignTargetView t) =>
        new(t.Id, t.AccountNumber, t.CustomerName, t.Phone, t.Email, t.MailingAddress, t.Collector, t.Balance.ToPlainString(), t.DaysPastDue, t.BalanceNow.ToPlainString(),
            t.Status.ToString(), t.Attempts, t.LastOutcome, t.LastCalledAt);

    private static CampaignResponse ToResponse(CampaignView c) =>
        new(c.Id, c.Name, c.Status.ToString(), c.Criteria.Describe(), c.Script, c.Outcomes, c.Collectors, c.CreatedOn, c.CreatedBy, c.ClosedOn, c.Open, c.Owed.ToPlainString(),
            [.. c.Targets.Select(ToResponse)],
            [.. c.Results.Select(r => new CollectorResultsResponse(r.Collector, r.Targets, r.Calls, r.RightPartyContacts, r.RightPartyRate.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
                r.Promises, r.Promised.ToPlainString(), r.Collected.ToPlainString()))]);
}
