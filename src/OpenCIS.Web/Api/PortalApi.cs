using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Portal;
using OpenCIS.UseCases.Portal.Processors;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Api;

/// <summary>A card payment to start: the amount, and the bill it pays when started from one.</summary>
public sealed record PortalPaymentRequest(string Amount, long? BillId);

/// <summary>An e-check to authorize: the bank account (checking or savings), the amount, and the customer's acceptance of the authorization.</summary>
public sealed record PortalECheckApiRequest(string HolderName, string RoutingNumber, string BankAccountNumber, string? AccountType, string Amount, bool Authorized);

/// <summary>
/// The portal's JSON API, for the customer signed in with the portal's cookie (never staff's, never an API key): their
/// accounts, an account, a bill's PDF, starting a card payment and following it, authorizing and cancelling an e-check (whose
/// bank account number is never sent back, only its last four digits). Anything not the customer's is a 404,
/// as if it did not exist. And the processors' webhooks, which authenticate by their signature alone.
/// </summary>
public static class PortalApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var portal = api.MapGroup("/portal").WithTags("Portal");
        var customer = portal.MapGroup("").RequireAuthorization(PortalAuthentication.Policy).AddEndpointFilter<PortalErrorFilter>();

        customer.MapGet("/accounts", async (HttpContext context, PortalQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok((await queries.AccountsAsync(PortalAuthentication.UserId(context), cancellationToken)).Select(a => new
            {
                a.AccountNumber, a.ServiceAddress, a.Status, Balance = a.Balance.ToPlainString(), CurrentBill = a.CurrentBill is { } bill ? Bill(bill) : null,
            })));

        customer.MapGet("/accounts/{number}", async (string number, HttpContext context, PortalQueries queries, CancellationToken cancellationToken) =>
        {
            var a = await queries.AccountAsync(PortalAuthentication.UserId(context), number, cancellationToken);
            return TypedResults.Ok(new
            {
                a.AccountNumber, a.ServiceAddress, a.Status, Balance = a.Balance.ToPlainString(), CurrentBill = a.CurrentBill is { } bill ? Bill(bill) : null,
                Bills = a.Bills.Select(Bill),
                Payments = a.Payments.Select(p => new { p.On, Amount = p.Amount.ToPlainString(), p.How, p.ReceiptNumber, p.Pending, p.ECheckId, p.BankAccount }),
            });
        });

        customer.MapGet("/accounts/{number}/bills/{billId:long}.pdf", async (string number, long billId, HttpContext context, PortalQueries queries, CancellationToken cancellationToken) =>
        {
            var document = await queries.BillAsync(PortalAuthentication.UserId(context), number, billId, cancellationToken);
            return TypedResults.File(BillPdf.Render(document).Pdf, "application/pdf", $"bill-{document.AccountNumber}-{document.BillId}.pdf");
        });

        customer.MapPost("/accounts/{number}/payments", async (string number, PortalPaymentRequest request, HttpContext context, OnlinePayments payments, CancellationToken cancellationToken) =>
        {
            var origin = $"{context.Request.Scheme}://{context.Request.Host}";
            var started = await payments.StartAsync(PortalAuthentication.UserId(context), number, request.Amount, request.BillId,
                new Uri($"{origin}/portal/payments/"), new Uri($"{origin}/portal/accounts/{Uri.EscapeDataString(number)}"), cancellationToken);
            return TypedResults.Created($"/api/portal/payments/{started.OnlinePaymentId}",
                new { started.OnlinePaymentId, Amount = started.Amount.ToPlainString(), Fee = started.Fee.ToPlainString(), PageUrl = started.PageUrl.ToString() });
        });

        customer.MapPost("/accounts/{number}/echeck", async (string number, PortalECheckApiRequest request, HttpContext context, PortalECheck eChecks, CancellationToken cancellationToken) =>
        {
            var e = await eChecks.AuthorizeAsync(PortalAuthentication.UserId(context), number,
                new PortalECheckRequest(request.HolderName, request.RoutingNumber, request.BankAccountNumber, request.AccountType ?? "Checking", request.Amount, request.Authorized), cancellationToken);
            return TypedResults.Created($"/api/portal/accounts/{Uri.EscapeDataString(e.AccountNumber)}", ECheck(e));
        }).AddEndpointFilter<IdempotencyFilter>();

        customer.MapPost("/accounts/{number}/echeck/{id:long}/cancel", async (string number, long id, HttpContext context, PortalECheck eChecks, CancellationToken cancellationToken) =>
            TypedResults.Ok(ECheck(await eChecks.CancelAsync(PortalAuthentication.UserId(context), number, id, cancellationToken))));

        customer.MapGet("/payments/{id:long}", async (long id, HttpContext context, PortalQueries queries, CancellationToken cancellationToken) =>
        {
            var p = await queries.OnlinePaymentAsync(PortalAuthentication.UserId(context), id, cancellationToken);
            return TypedResults.Ok(new
            {
                p.Id, p.AccountNumber, Amount = p.Amount.ToPlainString(), Fee = p.Fee.ToPlainString(), p.Status, p.ReceiptNumber, p.Card, NewBalance = p.NewBalance?.ToPlainString(),
            });
        });

        // A processor's event: its signature is checked before anything is read, and a refused one posts nothing.
        portal.MapPost("/webhooks/{processor}", async Task<IResult> (string processor, HttpRequest request, PaymentProcessors processors, OnlinePayments payments,
            ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            var logger = loggers.CreateLogger("OpenCIS.Portal.Webhooks");
            if (processors.Find(processor) is not { } found)
            {
                logger.LogWarning("A webhook for processor {Processor}, which is not on here, was refused.", processor);
                return TypedResults.NotFound();
            }

            using var reader = new StreamReader(request.Body);
            var payload = await reader.ReadToEndAsync(cancellationToken);
            ProcessorNotice notice;
            try
            {
                notice = found.ReadWebhook(payload, name => request.Headers[name].FirstOrDefault());
            }
            catch (WebhookRefusedException refused)
            {
                logger.LogWarning("A webhook for processor {Processor} was refused: {Reason}", processor, refused.Message);
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: refused.Message);
            }

            var outcome = await payments.ApplyAsync(found.Name, notice, cancellationToken);
            logger.LogInformation("Processor {Processor} event {EventId} ({Kind}): {Outcome}", processor, notice.EventId, notice.Kind, outcome.Outcome);
            return TypedResults.Ok(new { received = true, outcome.Posted, outcome.Outcome });
        }).AllowAnonymous().DisableAntiforgery();
    }

    private static object ECheck(PortalECheckView e) => new
    {
        e.Id, e.AccountNumber, Amount = e.Amount.ToPlainString(), e.RoutingNumber, BankAccount = e.MaskedAccountNumber, e.AccountType, e.Status, e.AuthorizedOn,
    };

    private static object Bill(PortalBill b) => new
    {
        b.BillNumber, b.BillDate, b.DueDate, b.PeriodStart, b.PeriodEnd, CurrentCharges = b.CurrentCharges.ToPlainString(), AmountDue = b.AmountDue.ToPlainString(),
    };

    /// <summary>A customer's refusal as a validation problem in their language; anything not theirs as not found.</summary>
    private sealed class PortalErrorFilter : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            try
            {
                return await next(context);
            }
            catch (PortalException refused)
            {
                return DomainExceptionFilter.Problem(refused.Field ?? "request", refused.In(PortalAuthentication.Language(context.HttpContext)));
            }
            catch (PortalNotFoundException)
            {
                return TypedResults.NotFound();
            }
        }
    }
}
