using System.Text.Json;
using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Customers;

/// <summary>Customer profiles (API.md "Operations data"): licences, usage and CPOR claims. Operations key only.</summary>
public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder endpoints)
    {
        var customers = endpoints.MapGroup("/api/customers").WithTags("Customers").RequireAuthorization(Roles.Operations);
        customers.MapPut("/{tenantId}", PutCustomerAsync)
            .WithName("PutCustomer")
            .WithSummary("Creates or replaces a customer: licences, monthly active usage and partners' CPOR claims.");
        customers.MapGet("/{tenantId}", GetCustomerAsync)
            .WithIdRule("tenantId")
            .WithName("GetCustomer")
            .WithSummary("The customer as last imported.");
        return endpoints;
    }

    private static async Task<Results<Created<CustomerView>, Ok<CustomerView>, ValidationProblem>> PutCustomerAsync(
        string tenantId, JsonElement body, CustomerStore store, CancellationToken cancellationToken)
    {
        var (customer, problems) = CustomerInput.Read(tenantId, body);
        if (customer is null)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var view = CustomerView.From(customer);
        return await store.SaveAsync(customer, cancellationToken)
            ? TypedResults.Created($"/api/customers/{Uri.EscapeDataString(tenantId)}", view)
            : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<CustomerView>, ProblemHttpResult>> GetCustomerAsync(
        string tenantId, CustomerStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(tenantId, cancellationToken) is { } customer
            ? TypedResults.Ok(CustomerView.From(customer))
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Unknown customer", detail: $"There is no customer {tenantId}.");
}
