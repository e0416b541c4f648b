using Azure.Data.Tables;
using FastTrack.Domain.Privacy;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Referrals;

namespace FastTrack.Core.Privacy;

/// <summary>
/// Finds a person's referrals without reading them all (table <c>ContactIndex</c>): a row per email key
/// (<see cref="PersonalData.EmailKey"/>, never the address) and referral, for the RFA's contact and requestor.
/// Nothing commits across tables, so intake writes the rows before the referral: a row whose referral never appeared
/// is ignored by readers. Referrals stored before the index existed are indexed by one scan of the referrals, the first
/// time a request needs the index.
/// </summary>
public sealed partial class ContactIndex(
    StorageResources storage, ReferralStore referrals, TimeProvider clock, ILogger<ContactIndex> logger)
{
    public const string TableName = "ContactIndex";

    // Email keys are 64 hex digits, so this partition is never one.
    private const string BackfillPartition = "backfill";
    private const string BackfillRow = "done";

    public async Task AddAsync(string referralId, ReferralSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var table = await storage.TableAsync(TableName, cancellationToken);
        var emails = new[] { submission.Contact.Email, submission.Requestor.Email };
        foreach (var key in emails.Where(email => !PersonalData.IsErased(email)).Select(PersonalData.EmailKey).Distinct())
        {
            await table.UpsertEntityAsync(new TableEntity(key, referralId), TableUpdateMode.Replace, cancellationToken);
        }
    }

    /// <summary>The referrals indexed under the key; some may not exist (an intake that stopped before creating it).</summary>
    public async Task<IReadOnlyList<string>> ReferralsAsync(string emailKey, CancellationToken cancellationToken)
    {
        await EnsureBackfilledAsync(cancellationToken);
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {emailKey}");
        return await table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken)
            .Select(row => row.RowKey).ToListAsync(cancellationToken);
    }

    /// <summary>Forgets the key: after an erasure, the referrals no longer hold that address.</summary>
    public async Task RemoveAsync(string emailKey, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        foreach (var referralId in await ReferralsAsync(emailKey, cancellationToken))
        {
            await table.DeleteEntityAsync(emailKey, referralId, cancellationToken: cancellationToken);
        }
    }

    private async Task EnsureBackfilledAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        if ((await table.GetEntityIfExistsAsync<TableEntity>(BackfillPartition, BackfillRow, cancellationToken: cancellationToken)).HasValue)
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

        await table.UpsertEntityAsync(
            new TableEntity(BackfillPartition, BackfillRow) { ["At"] = clock.GetUtcNow(), ["Referrals"] = count },
            TableUpdateMode.Replace,
            cancellationToken);
        LogBackfilled(count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact index: indexed the {Count} referrals stored before it existed")]
    private partial void LogBackfilled(int count);
}
