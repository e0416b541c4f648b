using Azure;

namespace FastTrack.Storage.Tables;

/// <summary>
/// Query results page by page. The continuation token is the service's NextPartitionKey and NextRowKey joined by a
/// space (neither contains one), so <c>AsPages(token)</c> resumes where a page left off.
/// </summary>
internal sealed class TableQueryPageable(
    Func<string?, int?, CancellationToken, Task<Page<TableEntity>>> fetchPage,
    int? maxPerPage,
    CancellationToken cancellationToken)
    : AsyncPageable<TableEntity>(cancellationToken)
{
    public override async IAsyncEnumerable<Page<TableEntity>> AsPages(
        string? continuationToken = null, int? pageSizeHint = null)
    {
        // A page may be empty yet carry a token (the service stops at partition boundaries and time limits).
        do
        {
            var page = await fetchPage(continuationToken, pageSizeHint ?? maxPerPage, CancellationToken)
                .ConfigureAwait(false);
            yield return page;
            continuationToken = page.ContinuationToken;
        }
        while (continuationToken is not null);
    }

    public static string? JoinToken(string? nextPartitionKey, string? nextRowKey) =>
        nextPartitionKey is null ? null : $"{nextPartitionKey} {nextRowKey}".TrimEnd();

    public static (string PartitionKey, string? RowKey) SplitToken(string token) =>
        token.Split(' ', 2) is [var partitionKey, var rowKey] ? (partitionKey, rowKey) : (token, null);
}
