using FastTrack.Domain.Privacy;
using FastTrack.Functions.Hosting;
using FastTrack.Functions.Referrals;
using FastTrack.Storage.Tables;

namespace FastTrack.Functions.Privacy;

/// <summary>
/// Finds a person's referrals without reading them all (table <c>ContactIndex</c>): a row per email key
/// (<see cref="PersonalData.EmailKey"/>, never the address) and referral, for the RFA's contact and requestor.
/// Nothing commits across tables, so intake writes the rows before the referral: a row whose referral never appeared
/// is ignored by readers. Referrals stored before the index existed are indexed by one scan of the referrals, the first
/// time a request needs the index.
/// </summary>
public sealed partial class ContactIndex(
    StorageAccount storage, ReferralStore referrals, TimeProvider clock, ILogger<ContactIndex> logger)
{
    public const string TableName = "ContactIndex";

    // Email keys are 64 hex digits, so this partition is never one.
    private const string BackfillPartition = "backfill";
    private const string BackfillRow = "done";

    private readonly TableClient _table = storage.GetTableClient(TableName);
    private readonly CreateOnce _created = new(() => storage.GetTableClient(TableName).CreateIfNotExistsAsync());

    public async Task AddAsync(string referralId, ReferralSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        await _created.EnsureAsync();
        var emails = new[] { submission.Contact.Email, submission.Requestor.Email };
        foreach (var key in emails.Where(email => !PersonalData.IsErased(email)).Select(PersonalData.EmailKey).Distinct())
        {
            await _table.UpsertEntityAsync(new TableEntity(key, referralId), TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>The referrals indexed under the key; some may not exist (an intake that stopped before creating it).</summary>
    public async Task<IReadOnlyList<string>> ReferralsAsync(string emailKey, CancellationToken cancellationToken)
    {
        await EnsureBackfilledAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {emailKey}");
        return await _table.QueryAsync(filter, select: ["RowKey"], cancellationToken: cancellationToken)
            .Select(row => row.RowKey).ToListAsync(cancellationToken);
    }

    /// <summary>Forgets the key: after an erasure, the referrals no longer hold that address.</summary>
    public async Task RemoveAsync(string emailKey, CancellationToken cancellationToken)
    {
        foreach (var referralId in await ReferralsAsync(emailKey, cancellationToken))
        {
            await _table.DeleteEntityAsync(emailKey, referralId, cancellationToken: cancellationToken);
        }
    }

    private async Task EnsureBackfilledAsync(CancellationToken cancellationToken)
    {
        await _created.EnsureAsync();
        if ((await _table.GetEntityIfExistsAsync(BackfillPartition, BackfillRow, cancellationToken: cancellationToken)).HasValue)
        {
            return;
        }

        // Idempotent upserts, and the mark only once all are done: a crash part-way makes the next request scan again.
        var count = 0;
        await foreach (var (referralId, submission) in referrals.AllSubmissionsAsync(cancellationToken))
        {
            await AddAsync(referralId, submission, cancellationToken);
            count++;
        }

        await _table.UpsertEntityAsync(
            new TableEntity(BackfillPartition, BackfillRow) { ["At"] = clock.GetUtcNow(), ["Referrals"] = count },
            TableUpdateMode.Replace,
            cancellationToken);
        LogBackfilled(count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact index: indexed the {Count} referrals stored before it existed")]
    private partial void LogBackfilled(int count);
}
