using System.Globalization;
using Azure.Data.Tables;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// Redemptions waiting for the offer desk, in table <c>RedemptionReviews</c> keyed by their review due time, so the
/// overdue ones are a row key range. A row is written before its redemption is committed and removed after the
/// decision; the reader checks each row against the voucher and drops rows whose redemption is not waiting.
/// </summary>
public sealed class RedemptionReviews(StorageResources storage)
{
    public const string TableName = "RedemptionReviews";
    private const string Partition = "waiting";
    private const string TimeFormat = "yyyyMMdd'T'HHmmssfff";

    public async Task AddAsync(string voucherId, string redemptionId, DateTimeOffset reviewDueAt, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(
            new TableEntity(Partition, RowKey(voucherId, redemptionId, reviewDueAt)), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task RemoveAsync(string voucherId, Redemption redemption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redemption);
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.DeleteEntityAsync(
            Partition, RowKey(voucherId, redemption.Id, redemption.ReviewDueAt), cancellationToken: cancellationToken);
    }

    /// <summary>(voucher id, redemption id, review due time) of every row due before <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<(string VoucherId, string RedemptionId, DateTimeOffset ReviewDueAt)>> DueBeforeAsync(
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var upTo = now.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey lt {upTo}");
        var rows = new List<(string, string, DateTimeOffset)>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            var parts = row.RowKey.Split('|');
            var dueAt = DateTime.ParseExact(parts[0], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            rows.Add((parts[1], parts[2], new DateTimeOffset(dueAt, TimeSpan.Zero)));
        }

        return rows;
    }

    private static string RowKey(string voucherId, string redemptionId, DateTimeOffset reviewDueAt) =>
        string.Join('|', reviewDueAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture), voucherId, redemptionId);
}
