using FastTrack.DevHost.Hosting;
using FastTrack.DevHost.Triggers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FastTrack.Functions.Tests.FunctionsApp;

/// <summary>
/// The dev host as it is configured in Production, built but not started (nothing is contacted): its HTTP routes, its
/// local timer, queue and blob functions and its Durable tasks, for comparison with what the Functions app declares.
/// </summary>
public static class DevHostApp
{
    private static readonly Lazy<WebApplication> App = new(Build);

    /// <summary>Each route the dev host serves in Production, as "METHOD route" (the route without its leading slash).</summary>
    public static IReadOnlyList<(string Method, string Route, string? Name)> Routes() =>
        ((IEndpointRouteBuilder)App.Value).DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint => endpoint.Metadata.GetRequiredMetadata<HttpMethodMetadata>().HttpMethods.Select(method => (
                method,
                endpoint.RoutePattern.RawText!.TrimStart('/'),
                endpoint.Metadata.GetMetadata<EndpointNameMetadata>()?.EndpointName)))
            .ToList();

    public static IReadOnlyList<LocalTrigger> LocalTriggers() => App.Value.Services.GetServices<LocalTrigger>().ToList();

    private static WebApplication Build()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["AzureWebJobsStorage"] = "UseDevelopmentStorage=true";
        builder.Configuration["Links:SigningKeys:test"] = Convert.ToBase64String("test-only link signing key, 32+ bytes long"u8);
        builder.Configuration["Links:ActiveKeyId"] = "test";
        builder.AddDevHost();
        var app = builder.Build();
        app.MapDevHost();
        return app;
    }
}
