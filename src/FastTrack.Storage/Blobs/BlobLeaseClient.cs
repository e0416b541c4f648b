using System.Globalization;
using Azure;
using Azure.Core;
using FastTrack.Storage.Core;

namespace FastTrack.Storage.Blobs;

/// <summary>
/// A lease on one blob: while it is held, writes and deletes need <see cref="LeaseId"/>
/// (in <see cref="BlobRequestConditions.LeaseId"/>) or fail with 412.
/// </summary>
public sealed class BlobLeaseClient
{
    private static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(60);

    private readonly BlobClient _blob;

    internal BlobLeaseClient(BlobClient blob, string? leaseId)
    {
        _blob = blob;
        LeaseId = leaseId ?? Guid.NewGuid().ToString();
    }

    public string LeaseId { get; }

    /// <param name="duration">15 to 60 seconds, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <exception cref="RequestFailedException">409 LeaseAlreadyPresent when another lease is active.</exception>
    public Task<Response<BlobLease>> AcquireAsync(
        TimeSpan duration, BlobRequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        if (duration != Timeout.InfiniteTimeSpan && (duration < MinDuration || duration > MaxDuration))
        {
            throw new ArgumentOutOfRangeException(
                nameof(duration), duration, "A blob lease lasts 15 to 60 seconds, or is infinite.");
        }

        var seconds = duration == Timeout.InfiniteTimeSpan
            ? "-1"
            : StorageProtocol.Seconds(duration).ToString(CultureInfo.InvariantCulture);
        return SendAsync(
            "acquire", conditions, [("x-ms-lease-duration", seconds), ("x-ms-proposed-lease-id", LeaseId)], cancellationToken);
    }

    public Task<Response<BlobLease>> RenewAsync(CancellationToken cancellationToken = default) =>
        SendAsync("renew", null, [("x-ms-lease-id", LeaseId)], cancellationToken);

    public Task<Response<BlobLease>> ReleaseAsync(CancellationToken cancellationToken = default) =>
        SendAsync("release", null, [("x-ms-lease-id", LeaseId)], cancellationToken);

    /// <summary>Ends whatever lease is active, whoever holds it, after <paramref name="breakPeriod"/> (0–60 s);
    /// without one a fixed-duration lease runs out and an infinite one breaks at once.</summary>
    public Task<Response<BlobLease>> BreakAsync(
        TimeSpan? breakPeriod = null, CancellationToken cancellationToken = default) =>
        SendAsync(
            "break",
            null,
            breakPeriod is { } period
                ? [("x-ms-lease-break-period", StorageProtocol.Seconds(period).ToString(CultureInfo.InvariantCulture))]
                : [],
            cancellationToken);

    private async Task<Response<BlobLease>> SendAsync(
        string action,
        BlobRequestConditions? conditions,
        (string Name, string Value)[] headers,
        CancellationToken cancellationToken)
    {
        using var message = _blob.Context.CreateMessage(RequestMethod.Put, _blob.Uri);
        message.Request.Uri.AppendQuery("comp", "lease");
        message.Request.SetConditions(conditions);
        message.Request.Headers.SetValue("x-ms-lease-action", action);
        foreach (var (name, value) in headers)
        {
            message.Request.Headers.SetValue(name, value);
        }

        var response = await _blob.Context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var info = BlobProtocol.ReadInfo(response);
        return Response.FromValue(
            new BlobLease(
                info.ETag,
                info.LastModified,
                response.Headers.TryGetValue("x-ms-lease-id", out var id) ? id : null,
                response.Headers.TryGetValue("x-ms-lease-time", out var time)
                    ? int.Parse(time, CultureInfo.InvariantCulture)
                    : null),
            response);
    }
}
