using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FastTrack.Core.Http;

/// <summary>
/// <c>GET /openapi/v1.json</c>, the OpenAPI description of the HTTP API, as the file <c>Http/openapi.v1.json</c>
/// built into this assembly. The dev host generates the same document from its routes; a test keeps the two equal and
/// rewrites the file when they differ (README "Test"), so the Functions app, which has no generator, serves it too.
/// </summary>
public sealed class OpenApiDescription
{
    public const string DescriptionRoute = "openapi/v1.json";

    /// <summary>The manifest name of the file inside the assembly.</summary>
    public const string ResourceName = "FastTrack.Core.openapi.v1.json";

    [EndpointName("GetOpenApiDescription"), ExcludeFromDescription]
    public static FileStreamHttpResult Get() =>
        TypedResults.Stream(
            typeof(OpenApiDescription).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"{ResourceName} is not built into {typeof(OpenApiDescription).Assembly.GetName().Name}."),
            "application/json; charset=utf-8");
}
