using Microsoft.AspNetCore.Mvc;
using OpenCIS.UseCases.Billing;
using OpenCIS.UseCases.Portal;
using OpenCIS.UseCases.Portal.Processors;
using OpenCIS.Web.Security;

namespace OpenCIS.Web.Api;

/// <summary>A card payment to start: the amount, and the bill it pays when started from one.</summary>
public sealed record PortalPaymentRequest(string Amount, long? BillId);

/// <summary>Paperless billing on or off.</summary>
public sealed record PortalPaperlessRequest(bool Paperless);

/// <summary>A request to the city: its kind (StopService, StartService, TransferService, Problem, BillDispute) and what that kind asks.</summary>
public sealed record PortalAskRequest(string Kind, DateOnly? On, string? Address, long? BillNumber, string? Amount, string? Details);

/// <summary>A switch: on or off.</summary>
public sealed record PortalSwitchRequest(bool On);

/// <summary>A mobile number, and (to prove it) the code texted to it.</summary>
public sealed record PortalMobileRequest(string Mobile, string? Code);

/// <summary>The customer's language: en or es.</summary>
public sealed record PortalLanguageRequest(string Language);

/// <summary>A payment arrangement in this many monthly payments.</summary>
public sealed record PortalArrangeRequest(int Installments);

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

        customer.MapGet("/accounts/{number}/usage", async (string number, HttpContext context, PortalQueries queries, CancellationToken cancellationToken) =>
            TypedResults.Ok(await queries.UsageAsync(PortalAuthentication.UserId(context), number, cancellationToken)));

        customer.MapGet("/accounts/{number}/settings", async (string number, HttpContext context, PortalManage manage, CancellationToken cancellationToken) =>
        {
            var view = await manage.ViewAsync(PortalAuthentication.UserId(context), number, cancellationToken);
            return TypedResults.Ok(new { view.AccountNumber, view.Paperless, view.Autopay, view.Contact });
        });

        customer.MapPut("/accounts/{number}/paperless", async (string number, PortalPaperlessRequest request, HttpContext context, PortalManage manage, CancellationToken cancellationToken) =>
        {
            await manage.SetPaperlessAsync(PortalAuthentication.UserId(context), number, request.Paperless, cancellationToken);
            return TypedResults.NoContent();
        });

        customer.MapPost("/accounts/{number}/autopay", async (string number, PortalAutopayRequest request, HttpContext context, PortalManage manage, CancellationToken cancellationToken) =>
            TypedResults.Ok(await manage.EnrollAutopayAsync(PortalAuthentication.UserId(context), number, request, cancellationToken)));

        customer.MapDelete("/accounts/{number}/autopay", async (string number, HttpContext context, PortalManage manage, CancellationToken cancellationToken) =>
        {
            await manage.CancelAutopayAsync(PortalAuthentication.UserId(context), number, cancellationToken);
            return TypedResults.NoContent();
        });

        customer.MapPut("/accounts/{number}/contact", async (string number, PortalContact request, HttpContext context, PortalManage manage, CancellationToken cancellationToken) =>
        {
            await manage.ChangeContactAsync(PortalAuthentication.UserId(context), number, request, cancellationToken);
            return TypedResults.NoContent();
        });

        customer.MapGet("/accounts/{number}/requests", async (string number, HttpContext context, PortalRequests requests, CancellationToken cancellationToken) =>
            TypedResults.Ok(await requests.ListAsync(PortalAuthentication.UserId(context), number, cancellationToken)));

        customer.MapPost("/accounts/{number}/requests", async (string number, PortalAskRequest request, HttpContext context, PortalRequests requests, CancellationToken cancellationToken) =>
        {
            if (!Enum.TryParse<PortalRequestKind>(request.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                throw new PortalException("ErrorRequestKind", "kind");
            }

            var asked = await requests.AskAsync(PortalAuthentication.UserId(context), number,
                new PortalRequest(kind, request.On, request.Address, request.BillNumber, request.Amount, request.Details), cancellationToken);
            return TypedResults.Created($"/api/portal/accounts/{Uri.EscapeDataString(number)}/requests", asked);
        });

        customer.MapGet("/accounts/{number}/arrangement", async (string number, HttpContext context, PortalArrangements arrangements, CancellationToken cancellationToken) =>
            TypedResults.Ok(Offer(await arrangements.OfferAsync(PortalAuthentication.UserId(context), number, cancellationToken))));

        customer.MapPost("/accounts/{number}/arrangement", async (string number, PortalArrangeRequest request, HttpContext context, PortalArrangements arrangements, CancellationToken cancellationToken) =>
        {
            var made = await arrangements.ArrangeAsync(PortalAuthentication.UserId(context), number, request.Installments, cancellationToken);
            return TypedResults.Created($"/api/portal/accounts/{Uri.EscapeDataString(number)}/arrangement", Arrangement(made));
        });

        var settings = customer.MapGroup("/settings");
        settings.MapGet("", async (HttpContext context, PortalLogins logins, PortalChannels channels, CancellationToken cancellationToken) =>
        {
            var user = PortalAuthentication.UserId(context);
            var login = await logins.LoginAsync(user, cancellationToken);
            var view = await channels.ViewAsync(user, cancellationToken);
            var twoFactor = await logins.TwoFactorSetupAsync(user, cancellationToken);
            return TypedResults.Ok(new { login.Email, login.DisplayName, login.Language, view.EmailReminders, view.Mobile, view.MobileConfirmed, view.TextAlerts, TwoFactor = twoFactor.Enabled });
        });

        settings.MapPut("/language", async (PortalLanguageRequest request, HttpContext context, PortalLogins logins, CancellationToken cancellationToken) =>
        {
            await logins.SetLanguageAsync(PortalAuthentication.UserId(context), request.Language, cancellationToken);
            return TypedResults.NoContent();
        });

        settings.MapPut("/reminders", async (PortalSwitchRequest request, HttpContext context, PortalLogins logins, CancellationToken cancellationToken) =>
        {
            await logins.SetRemindersAsync(PortalAuthentication.UserId(context), request.On, cancellationToken);
            return TypedResults.NoContent();
        });

        settings.MapPost("/mobile", async (PortalMobileRequest request, HttpContext context, PortalChannels channels, CancellationToken cancellationToken) =>
        {
            await channels.SendCodeAsync(PortalAuthentication.UserId(context), request.Mobile, cancellationToken);
            return TypedResults.Accepted((string?)null);
        });

        settings.MapPost("/mobile/confirm", async (PortalMobileRequest request, HttpContext context, PortalChannels channels, CancellationToken cancellationToken) =>
        {
            await channels.ConfirmAsync(PortalAuthentication.UserId(context), request.Mobile, request.Code ?? "", cancellationToken);
            return TypedResults.NoContent();
        });

        settings.MapDelete("/mobile", async (HttpContext context, PortalChannels channels, CancellationToken cancellationToken) =>
        {
            await channels.RemoveMobileAsync(PortalAuthentication.UserId(context), cancellationToken);
            return TypedResults.NoContent();
        });

        settings.MapPut("/texts", async (PortalSwitchRequest request, HttpContext context, PortalChannels channels, CancellationToken cancellationToken) =>
        {
            await channels.SetTextAlertsAsync(PortalAuthentication.UserId(context), request.On, cancellationToken);
            return TypedResults.NoContent();
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

    private static object Offer(PortalArrangementOffer o) => new
    {
        o.AccountNumber, PastDue = o.PastDue.ToPlainString(), DownPayment = o.DownPayment.ToPlainString(), o.InstallmentsMin, o.InstallmentsMax, o.FirstDueOn,
        o.CanArrange, Refusal = o.RefusalKey, Active = o.Active is { } active ? Arrangement(active) : null,
    };

    private static object Arrangement(PortalArrangement a) => new
    {
        a.Id, a.MadeOn, Amount = a.Amount.ToPlainString(), Paid = a.Paid.ToPlainString(), a.Status,
        Payments = a.Payments.Select(p => new { p.Number, p.DueOn, Amount = p.Amount.ToPlainString(), p.Paid }),
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
