using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Customers;

/// <summary>Customer profiles (API.md "Operations data"): licences, usage and CPOR claims. Operations key only.</summary>
public sealed class CustomersApi(CustomerStore store, FunctionKeys keys)
{
    public const string CustomerRoute = "api/customers/{tenantId}";

    [EndpointName("PutCustomer"), Tags("Customers")]
    [EndpointSummary("Creates or replaces a customer: licences, monthly active usage and partners' CPOR claims.")]
    public async Task<Results<Created<CustomerView>, Ok<CustomerView>, ValidationProblem, ProblemHttpResult>> PutAsync(
        HttpRequest request, string tenantId, CancellationToken cancellationToken)
    {
        if (keys.Refuse(request, Roles.Operations) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (body.Problem is not null)
        {
            return body.ToProblem("The customer cannot be read; nothing was stored.");
        }

        var (customer, problems) = CustomerInput.Read(tenantId, body.Value);
        if (customer is null)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var view = CustomerView.From(customer);
        return await store.SaveAsync(customer, cancellationToken)
            ? TypedResults.Created($"/api/customers/{tenantId}", view)
            : TypedResults.Ok(view);
    }

    [EndpointName("GetCustomer"), Tags("Customers")]
    [EndpointSummary("The customer as last imported.")]
    public async Task<Results<Ok<CustomerView>, ProblemHttpResult>> GetAsync(
        HttpRequest request, string tenantId, CancellationToken cancellationToken)
    {
        if ((keys.Refuse(request, Roles.Operations) ?? RouteIds.Refuse((nameof(tenantId), tenantId))) is { } refused)
        {
            return refused;
        }

        return await store.GetAsync(tenantId, cancellationToken) is { } customer
            ? TypedResults.Ok(CustomerView.From(customer))
            : TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Unknown customer", detail: $"There is no customer {tenantId}.");
    }
}
