using System.Text.Json;

namespace FastTrack.Functions.Triggers;

/// <summary>Answers the Functions host's invocations of non-HTTP functions: <c>POST /{FunctionName}</c>.</summary>
public static class FunctionInvocationEndpoints
{
    // The custom handler protocol uses PascalCase keys; the app's own API is camelCase.
    private static readonly JsonSerializerOptions PayloadJson = new();

    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder endpoints)
    {
        foreach (var function in endpoints.ServiceProvider.GetServices<ITriggeredFunction>())
        {
            endpoints.MapPost($"/{function.Name}", async (HttpRequest request, CancellationToken cancellationToken) =>
                {
                    var payload = await JsonSerializer.DeserializeAsync<InvocationRequest>(
                        request.Body, PayloadJson, cancellationToken);
                    if (payload?.Data is null)
                    {
                        return Results.Problem(
                            "The invocation payload must have Data and Metadata.", statusCode: StatusCodes.Status400BadRequest);
                    }

                    var response = await function.InvokeAsync(payload with { Metadata = payload.Metadata ?? new Dictionary<string, JsonElement>() }, cancellationToken);
                    return Results.Json(response, PayloadJson);
                })
                .ExcludeFromDescription()
                .WithName($"Invoke{function.Name}");
        }

        return endpoints;
    }
}
