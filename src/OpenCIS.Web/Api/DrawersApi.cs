using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OpenCIS.Core.Common;
using OpenCIS.Core.Payments;
using OpenCIS.Storage.Billing;
using OpenCIS.UseCases.Billing;
using OpenCIS.Storage.Payments.Drawers;
using OpenCIS.UseCases.Payments.Drawers;
using OpenCIS.Storage;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record OpenDrawerBody(string StartingFloat);

/// <summary>The open drawer as the cashier sees it: no expected totals, so the count stays blind.</summary>
public sealed record DrawerResponse(long DrawerId, string Cashier, DateOnly BusinessDate, DateTimeOffset OpenedAt, string StartingFloat, int PaymentCount);

public sealed record TenderBody(string Tender, string Amount, string? Reference, string? CardToken, string? CardLastFour);

/// <summary><paramref name="Confirmed"/>: true once the cashier has confirmed what a first try asked (a 400 naming "confirmed": a large overpayment, cash over $10,000).</summary>
/// <summary>A counter payment to an account, or to an invoice by its number (which it pays first; the account number may then be left out).</summary>
public sealed record DrawerPaymentBody(string? AccountNumber, string Amount, IReadOnlyList<TenderBody> Tenders, bool Confirmed = false, long? InvoiceNumber = null);

public sealed record TenderResponse(string Tender, string Amount, string? Reference, string? CardLastFour);

public sealed record DrawerReceiptResponse(long PaymentId, string ReceiptNumber, long DrawerId, string AccountNumber, string Amount, string Tendered, string ChangeDue,
    IReadOnlyList<TenderResponse> Tenders, string NewBalance, bool AlreadyPosted);

/// <summary>Counted totals by tender name ("cash", "check", "money order", "card", "ach"); a tender left out counts as zero.</summary>
public sealed record CloseDrawerBody(IReadOnlyDictionary<string, string> Counted);

public sealed record DrawerCloseResponse(long DrawerId, IReadOnlyDictionary<string, string> Counted, IReadOnlyDictionary<string, string> Expected, IReadOnlyDictionary<string, string> OverShort, string OverShortTotal);

public sealed record ApproveDrawerBody(string? Note);

public sealed record ClosedDrawerResponse(long DrawerId, string Cashier, DateOnly BusinessDate, string Status, IReadOnlyDictionary<string, string> Counted, IReadOnlyDictionary<string, string> Expected, string OverShortTotal, string? ApprovedBy, string? Note);

public sealed record DepositItemResponse(string ReceiptNumber, string AccountNumber, string Tender, string? Reference, string Amount);

public sealed record DepositSlipResponse(long DrawerId, string Cashier, DateOnly BusinessDate, string Status, string Cash, string Checks, string MoneyOrders, string DepositTotal, string Card, string Ach, IReadOnlyList<DepositItemResponse> Items);

public sealed record CashReceiptsLineResponse(long DrawerId, string Cashier, string Status, int PaymentCount, IReadOnlyDictionary<string, string> ByTender, string Total, string? OverShort);

public sealed record CashReceiptsResponse(DateOnly BusinessDate, IReadOnlyList<CashReceiptsLineResponse> Drawers, IReadOnlyDictionary<string, string> ByTender, string Total);

public static class DrawersApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var drawers = api.MapGroup("/drawers").WithTags("Drawers");

        drawers.MapPost("/", async Task<Results<Ok<DrawerResponse>, ValidationProblem>> (OpenDrawerBody body, OpenDrawer workflow, DrawerQueries queries, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!Money.TryParse(body.StartingFloat, out var startingFloat))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("startingFloat", $"'{body.StartingFloat}' is not an amount in dollars and cents.");
                }

                var cashier = ApiUser.Name(context);
                await workflow.ExecuteAsync(cashier, startingFloat, cancellationToken);
                return TypedResults.Ok(ToResponse((await queries.CurrentAsync(cashier, cancellationToken))!));
            })
            .RequireAuthorization(PaymentsCapability.TakePayments)
            .WithSummary("Open your drawer with a starting float. One open drawer per cashier.");

        drawers.MapGet("/current", async Task<Results<Ok<DrawerResponse>, NotFound>> (DrawerQueries queries, HttpContext context, CancellationToken cancellationToken) =>
                await queries.CurrentAsync(ApiUser.Name(context), cancellationToken) is { } drawer ? TypedResults.Ok(ToResponse(drawer)) : TypedResults.NotFound())
            .RequireAuthorization(PaymentsCapability.TakePayments)
            .WithSummary("Your open drawer (without expected totals: the close is a blind count), or 404.");

        drawers.MapPost("/current/payments", async Task<Results<Ok<DrawerReceiptResponse>, ValidationProblem>> (
                DrawerPaymentBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, TakeDrawerPayment workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!Money.TryParse(body.Amount, out var amount))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("amount", $"'{body.Amount}' is not an amount in dollars and cents.");
                }

                if (IdempotencyFilter.KeyProblem(idempotencyKey) is { } tooLong)
                {
                    return tooLong;
                }

                var parts = new List<TenderPart>();
                for (var index = 0; index < (body.Tenders?.Count ?? 0); index++)
                {
                    var part = body.Tenders![index];
                    if (!Tenders.TryParse(part.Tender, out var tender))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem($"tenders[{index}].tender", $"'{part.Tender}' is not one of cash, check, money order, card, ach.");
                    }

                    if (!Money.TryParse(part.Amount, out var partAmount))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem($"tenders[{index}].amount", $"'{part.Amount}' is not an amount in dollars and cents.");
                    }

                    parts.Add(new TenderPart(tender, partAmount, Blank(part.Reference), Blank(part.CardToken), Blank(part.CardLastFour)));
                }

                var receipt = await workflow.ExecuteAsync(new DrawerPaymentRequest(body.AccountNumber ?? "", amount, parts, idempotencyKey, body.Confirmed, body.InvoiceNumber), ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(ToResponse(receipt));
            })
            .RequireAuthorization(PaymentsCapability.TakePayments)
            .AddEndpointFilter<IdempotencyKeyFilter>()
            .WithSummary("Take a counter payment into your open drawer: one or more tenders (a card by processor token and last four digits only); cash over the amount is change. Send an Idempotency-Key header.");

        drawers.MapPost("/current/close", async Task<Results<Ok<DrawerCloseResponse>, ValidationProblem>> (CloseDrawerBody body, CloseDrawer workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var counted = new Dictionary<Tender, Money>();
                foreach (var (name, text) in body.Counted ?? new Dictionary<string, string>())
                {
                    if (!Tenders.TryParse(name, out var tender))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("counted", $"'{name}' is not one of cash, check, money order, card, ach.");
                    }

                    if (!Money.TryParse(text, out var amount))
                    {
                        return (ValidationProblem)DomainExceptionFilter.Problem("counted." + tender, $"'{text}' is not an amount in dollars and cents.");
                    }

                    counted[tender] = amount;
                }

                var closed = await workflow.ExecuteAsync(ApiUser.Name(context), counted, cancellationToken);
                return TypedResults.Ok(new DrawerCloseResponse(closed.DrawerId, Names(closed.Counted), Names(closed.Expected), Names(closed.Balance.OverShort), closed.Balance.Total.ToPlainString()));
            })
            .RequireAuthorization(PaymentsCapability.TakePayments)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Close your drawer with a blind count by tender; the answer is the first place the expected totals and over/short appear.");

        drawers.MapGet("/awaiting-approval", async (DrawerQueries queries, CancellationToken cancellationToken) =>
                TypedResults.Ok((await queries.AwaitingApprovalAsync(cancellationToken)).Select(ToResponse).ToList()))
            .RequireAuthorization(PaymentsCapability.ApproveDrawers)
            .WithSummary("Closed drawers waiting for approval, with counted and expected totals.");

        drawers.MapPost("/{drawerId:long}/approve", async Task<Results<Ok<ClosedDrawerResponse>, ValidationProblem>> (long drawerId, ApproveDrawerBody body, ApproveDrawer workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                var approver = ApiUser.Name(context);
                var drawer = await workflow.ExecuteAsync(drawerId, approver, context.User.IsInRole(Roles.Supervisor) || context.User.IsInRole(Roles.Admin), body.Note, cancellationToken);
                return TypedResults.Ok(ToResponse(drawer));
            })
            .RequireAuthorization(PaymentsCapability.ApproveDrawers)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithSummary("Approve a closed drawer. Never the cashier's own; a drawer over or short needs a Supervisor and a note.");

        drawers.MapGet("/{drawerId:long}/deposit-slip", async (long drawerId, DrawerQueries queries, CancellationToken cancellationToken) =>
            {
                var slip = await queries.DepositSlipAsync(drawerId, cancellationToken);
                return TypedResults.Ok(new DepositSlipResponse(slip.DrawerId, slip.Cashier, slip.BusinessDate, slip.Status.ToString(), slip.CashDeposit.ToPlainString(), slip.ChecksTotal.ToPlainString(),
                    slip.MoneyOrdersTotal.ToPlainString(), slip.DepositTotal.ToPlainString(), slip.CardTotal.ToPlainString(), slip.AchTotal.ToPlainString(),
                    [.. slip.Items.Select(i => new DepositItemResponse(i.ReceiptNumber, i.AccountNumber, i.Tender.ToString(), i.Reference, i.Amount.ToPlainString()))]));
            })
            .RequireAuthorization(PaymentsCapability.ApproveDrawers)
            .WithSummary("The bank deposit slip of a closed drawer: counted cash less the float, each check and money order; card and ACH listed apart.");

        drawers.MapGet("/cash-receipts", async Task<Results<Ok<CashReceiptsResponse>, FileContentHttpResult>> (DateOnly date, string? format, DrawerQueries queries, CancellationToken cancellationToken) =>
            {
                var report = await queries.CashReceiptsAsync(date, cancellationToken);
                if (format == "csv")
                {
                    return TypedResults.File(System.Text.Encoding.UTF8.GetBytes(DrawerQueries.CashReceiptsCsv(report)), "text/csv", $"drawer-balancing-{date:yyyyMMdd}.csv");
                }

                return TypedResults.Ok(new CashReceiptsResponse(report.BusinessDate,
                    [.. report.Drawers.Select(l => new CashReceiptsLineResponse(l.DrawerId, l.Cashier, l.Status.ToString(), l.PaymentCount, Names(l.ByTender), l.Total.ToPlainString(), l.OverShort?.ToPlainString()))],
                    Names(report.ByTender), report.Total.ToPlainString()));
            })
            .RequireAuthorization(PaymentsCapability.ApproveDrawers)
            .WithSummary("The cash receipts (drawer balancing) report of a business date: each drawer's receipts by tender, its over/short, and the day's totals; format=csv for CSV.");

        drawers.MapGet("/receipts/{paymentId:long}.pdf", async (long paymentId, DrawerQueries queries, BillSettings settings, CancellationToken cancellationToken) =>
            {
                var receipt = await queries.ReceiptAsync(paymentId, cancellationToken);
                return TypedResults.File(ReceiptPdf.Render(receipt, settings.UtilityName).Pdf, "application/pdf", $"receipt-{receipt.ReceiptNumber}.pdf");
            })
            .RequireAuthorization(PaymentsCapability.TakePayments)
            .WithSummary("The printable receipt (PDF) of a counter payment.");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static Dictionary<string, string> Names(IReadOnlyDictionary<Tender, Money> totals) =>
        DrawerRules.AllTenders.ToDictionary(t => t.ToString(), t => totals.GetValueOrDefault(t).ToPlainString());

    private static DrawerResponse ToResponse(OpenDrawerView d) => new(d.DrawerId, d.Cashier, d.BusinessDate, d.OpenedAt, d.StartingFloat.ToPlainString(), d.PaymentCount);

    private static DrawerReceiptResponse ToResponse(DrawerReceipt r) =>
        new(r.PaymentId, r.ReceiptNumber, r.DrawerId, r.AccountNumber, r.Amount.ToPlainString(), r.Tendered.ToPlainString(), r.ChangeDue.ToPlainString(),
            [.. r.Tenders.Select(t => new TenderResponse(t.Tender.ToString(), t.Amount.ToPlainString(), t.Reference, t.CardLastFour))], r.NewBalance.ToPlainString(), r.AlreadyPosted);

    private static ClosedDrawerResponse ToResponse(DrawerSession d) =>
        new(d.Id, d.Cashier, d.BusinessDate, d.Status.ToString(), Names(d.Counted()), Names(d.Expected()), Money.FromCents(d.OverShortCents ?? 0).ToPlainString(), d.ApprovedBy, d.ApprovalNote);
}
