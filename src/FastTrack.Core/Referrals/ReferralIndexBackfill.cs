using Azure;
using Azure.Data.Tables;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Referrals;

/// <summary>
/// The one-time backfill of the lists' index (<see cref="ReferralIndex"/>), a timer function (every five minutes by
/// default): referrals stored before the index existed have no entries, and a completed one never takes another step
/// that would write them. A run indexes at most <see cref="MaxPerRun"/> referrals, from where the last run stopped: the
/// scan's position is saved after each page in a marker row of the index's table (partition <c>backfill</c>, which no
/// list reads), so a run that crashes or times out costs at most a page done again. Once the scan reaches the end, the
/// marker says so and every later run is that one read.
/// </summary>
public sealed partial class ReferralIndexBackfill(
    StorageResources storage, ReferralStore referrals, ReferralIndex index, TimeProvider clock, ILogger<ReferralIndexBackfill> logger)
{
    public const string FunctionName = "ReferralIndexBackfill";

    /// <summary>Referrals indexed per run at most, so that a run ends well within a function's time limit.</summary>
    public const int MaxPerRun = 2000;

    /// <summary>State rows read per request, and so at most this many done again after a crash.</summary>
    public const int PageSize = 500;

    public const string MarkerPartition = "backfill";
    public const string MarkerRow = "state";

    public Task RunAsync(CancellationToken cancellationToken) => RunAsync(MaxPerRun, cancellationToken);

    /// <summary>A run that indexes at most <paramref name="limit"/> referrals (tests use a small one).</summary>
    public async Task RunAsync(int limit, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(ReferralIndex.TableName, cancellationToken);
        var read = await table.GetEntityIfExistsAsync<TableEntity>(MarkerPartition, MarkerRow, cancellationToken: cancellationToken);
        var marker = read.HasValue ? read.Value! : null;
        if (marker?.GetBoolean("Done") == true)
        {
            return;
        }

        var position = marker?.GetString("ContinuationToken");
        var (scanned, added, etag) = (marker?.GetInt32("Referrals") ?? 0, marker?.GetInt32("EntriesAdded") ?? 0, marker?.ETag);
        for (var thisRun = 0; thisRun < limit;)
        {
            var page = await referrals.StatesAsync(position, Math.Min(PageSize, limit - thisRun), cancellationToken);
            foreach (var loaded in page.States)
            {
                added += await index.AddMissingAsync(loaded, cancellationToken);
            }

            (thisRun, scanned, position) = (thisRun + page.States.Count, scanned + page.States.Count, page.ContinuationToken);
            etag = await SaveAsync(table, etag, position, scanned, added, cancellationToken);
            if (etag is null)
            {
                LogLostRace();
                return;
            }

            if (position is null)
            {
                LogDone(scanned, added);
                return;
            }
        }

        LogProgress(scanned, added);
    }

    /// <summary>
    /// Saves the position under the marker's ETag (<paramref name="etag"/> null: there is no marker yet). Returns the new
    /// ETag, or null when another run moved the marker since: that run goes on from its own position, and this one stops.
    /// </summary>
    private async Task<ETag?> SaveAsync(
        TableClient table, ETag? etag, string? position, int scanned, int added, CancellationToken cancellationToken)
    {
        var marker = new TableEntity(MarkerPartition, MarkerRow)
        {
            ["Done"] = position is null,
            ["ContinuationToken"] = position,
            ["Referrals"] = scanned,
            ["EntriesAdded"] = added,
            ["UpdatedAt"] = clock.GetUtcNow(),
        };
        try
        {
            var saved = etag is { } current
                ? await table.UpdateEntityAsync(marker, current, TableUpdateMode.Replace, cancellationToken)
                : await table.AddEntityAsync(marker, cancellationToken);
            return saved.Headers.ETag;
        }
        catch (RequestFailedException lost) when (lost.Status is 409 or 412)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Referral index backfill: {Referrals} referrals scanned so far, {Added} entries added; the next run goes on from there")]
    private partial void LogProgress(int referrals, int added);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Referral index backfill done: {Referrals} referrals scanned, {Added} entries added")]
    private partial void LogDone(int referrals, int added);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Referral index backfill: another run moved the position meanwhile; this run stops and leaves it that one")]
    private partial void LogLostRace();
}
