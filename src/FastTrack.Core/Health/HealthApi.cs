using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Health;

/// <summary><c>GET /api/health</c>: 200 when Table, Blob and Queue storage all answer, else 503 naming what failed.</summary>
public sealed class HealthApi(TableServiceClient tableService, BlobServiceClient blobService, QueueServiceClient queueService)
{
    public const string HealthRoute = "api/health";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <remarks>Each probe goes to storage every time: a table, container or queue created once proves nothing now.</remarks>
    [EndpointName("GetHealth"), Tags("Health")]
    [EndpointSummary("Whether storage is reachable, and when the heartbeat timer last ran.")]
    public async Task<JsonHttpResult<HealthReport>> GetAsync(CancellationToken cancellationToken)
    {
        var table = tableService.GetTableClient(Heartbeat.TableName);
        var tables = ProbeAsync(() => table.CreateIfNotExistsAsync(cancellationToken), cancellationToken);
        var blobs = ProbeAsync(
            () => blobService.GetBlobContainerClient("health").CreateIfNotExistsAsync(cancellationToken: cancellationToken), cancellationToken);
        var queues = ProbeAsync(
            () => queueService.GetQueueClient("health").CreateIfNotExistsAsync(cancellationToken: cancellationToken), cancellationToken);
        var checks = new Dictionary<string, ServiceHealth>
        {
            ["tables"] = await tables,
            ["blobs"] = await blobs,
            ["queues"] = await queues,
        };
        var healthy = checks.Values.All(check => check.Status == "Healthy");
        var heartbeat = checks["tables"].Status == "Healthy"
            ? await Heartbeat.LastBeatAsync(table, cancellationToken)
            : null;
        var report = new HealthReport(healthy ? "Healthy" : "Unhealthy", checks, heartbeat);
        return TypedResults.Json(report, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<ServiceHealth> ProbeAsync(Func<Task> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await probe().WaitAsync(timeout.Token);
            return new ServiceHealth("Healthy", null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || timeout.IsCancellationRequested)
        {
            return new ServiceHealth("Unhealthy", exception is OperationCanceledException
                ? $"No answer within {ProbeTimeout.TotalSeconds:0} seconds."
                : exception.Message);
        }
    }

    public sealed record ServiceHealth(string Status, string? Error);

    public sealed record HealthReport(
        string Status, IReadOnlyDictionary<string, ServiceHealth> Checks, DateTimeOffset? LastHeartbeatAt);
}
