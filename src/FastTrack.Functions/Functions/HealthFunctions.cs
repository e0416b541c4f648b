using FastTrack.Core.Health;
using FastTrack.Core.Http;

namespace FastTrack.Functions.Functions;

/// <summary>Health, the heartbeat behind it, and the OpenAPI description.</summary>
public sealed class HealthFunctions(HealthApi health, Heartbeat heartbeat)
{
    [Function("GetHealth")]
    public async Task<IResult> GetHealthAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = HealthApi.HealthRoute)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await health.GetAsync(cancellationToken);

    [Function(Heartbeat.FunctionName)]
    public Task BeatAsync(
        [TimerTrigger("%" + HealthOptions.HeartbeatScheduleSetting + "%")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        heartbeat.BeatAsync(cancellationToken);

    [Function("GetOpenApiDescription")]
    public static IResult GetOpenApiDescription(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = OpenApiDescription.DescriptionRoute)] HttpRequest request) =>
        OpenApiDescription.Get();
}
