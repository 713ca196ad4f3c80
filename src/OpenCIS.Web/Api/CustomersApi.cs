using Microsoft.AspNetCore.Http.HttpResults;
using OpenCIS.Core.Customers;
using OpenCIS.Storage.Customers;
using OpenCIS.UseCases.Customers;
using OpenCIS.Web.Security;
using OpenCIS.Web.Capabilities;

namespace OpenCIS.Web.Api;

public sealed record ChangeIdentityNumberRequest(string Kind, string Number, string Reason);
public sealed record RevealIdentityNumberRequest(string Reason);
public sealed record ChangeContactRequest(CustomerContact Contact, string Reason);
public sealed record IdentityNumberResponse(long CustomerId, string IdentityNumber);

public static class CustomersApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Customers");
        customers.MapPut("/{customerId:long}/identity-number", async Task<Results<Ok<IdentityNumberResponse>, ValidationProblem>> (long customerId, ChangeIdentityNumberRequest request, ChangeIdentityNumber workflow, HttpContext context, CancellationToken cancellationToken) =>
            {
                if (!Enum.TryParse<IdentityNumberKind>(request.Kind, ignoreCase: true, out var kind))
                {
                    return (ValidationProblem)DomainExceptionFilter.Problem("kind", "Kind must be Ssn or TaxId.");
                }

                var masked = await workflow.ExecuteAsync(customerId, kind, request.Number, request.Reason, ApiUser.Name(context), cancellationToken);
                return TypedResults.Ok(new IdentityNumberResponse(customerId, masked));
            })
            .RequireAuthorization(CustomersCapability.EditCustomers)
            .WithSummary("Record or correct a customer's SSN or tax id (stored encrypted; the answer is masked). Audited with the reason.");

        customers.MapPut("/{customerId:long}/contact", async (long customerId, ChangeContactRequest request, ChangeCustomerContact workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(await workflow.ExecuteAsync(customerId, request.Contact, request.Reason, ApiUser.Name(context), cancellationToken)))
            .RequireAuthorization(CustomersCapability.EditCustomers)
            .WithSummary("Correct a customer's name, contact details or mailing address. Audited with before, after and the reason.");

        customers.MapPost("/{customerId:long}/identity-number/reveal", async (long customerId, RevealIdentityNumberRequest request, RevealIdentityNumber workflow, HttpContext context, CancellationToken cancellationToken) =>
                TypedResults.Ok(new IdentityNumberResponse(customerId, await workflow.ExecuteAsync(customerId, request.Reason, ApiUser.Name(context), cancellationToken))))
            .RequireAuthorization(CustomersCapability.RevealIdentity)
            .WithSummary("Show a customer's full identity number. Every reveal is written to the audit trail with its reason.");
    }
}
