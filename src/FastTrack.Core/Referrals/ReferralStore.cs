using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FastTrack.Domain;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Outbox;

namespace FastTrack.Core.Referrals;

/// <summary>
/// One referral is one partition of table <c>Referrals</c>: a <c>state</c> row (the snapshot, whose ETag guards every
/// change), the <c>rfa</c> row, append-only <c>history-NNNNNN</c> rows and <c>outbox-…</c> rows (effects still to
/// do). A decision's state, history and effects are committed together in one entity group transaction.
/// </summary>
public sealed class ReferralStore(StorageResources storage)
{
    public const string TableName = "Referrals";
    private const string StateRow = "state";
    private const string SubmissionRow = "rfa";
    private const string HistoryPrefix = "history-";
    private const int MaxRewriteAttempts = 30;

    /// <summary>The effects still to do, as <c>outbox-NNNNNN</c> rows of each referral's partition.</summary>
    public PartitionOutbox<ReferralEffect> Outbox { get; } = new(storage, TableName);

    /// <summary>The state and its ETag, or null when there is no such referral.</summary>
    public async Task<LoadedReferral?> LoadAsync(string referralId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(referralId, StateRow, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var entity = row.Value!;
        return new LoadedReferral(
            Read<Referral>(entity, "State"), entity.ETag, entity.GetInt32("HistoryCount") ?? 0, entity.GetInt32("OutboxCount") ?? 0);
    }

    /// <summary>The whole referral for reading: state, RFA details and history in order.</summary>
    public async Task<ReferralRecord?> GetAsync(string referralId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        Referral? state = null;
        ReferralSubmission? submission = null;
        var history = new List<HistoryEntry>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {referralId}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            switch (entity.RowKey)
            {
                case StateRow:
                    state = Read<Referral>(entity, "State");
                    break;
                case SubmissionRow:
                    submission = Read<ReferralSubmission>(entity, "Submission");
                    break;
                case var key when key.StartsWith(HistoryPrefix, StringComparison.Ordinal):
                    history.Add(Read<HistoryEntry>(entity, "Entry"));
                    break;
            }
        }

        // Rows come back in row key order, so history rows are already in sequence.
        return state is null || submission is null ? null : new ReferralRecord(state, submission, history);
    }

    public async Task<ReferralSubmission?> GetSubmissionAsync(string referralId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(referralId, SubmissionRow, cancellationToken: cancellationToken);
        return row.HasValue ? Read<ReferralSubmission>(row.Value!, "Submission") : null;
    }

    /// <summary>Every referral's RFA: a scan of the whole table, for the one-off contact index backfill only.</summary>
    public async IAsyncEnumerable<(string ReferralId, ReferralSubmission Submission)> AllSubmissionsAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {SubmissionRow}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return (entity.PartitionKey, Read<ReferralSubmission>(entity, "Submission"));
        }
    }

    /// <summary>
    /// Erasure (SPEC §10): rewrites the RFA, state and history rows through <paramref name="rewrite"/>, each row under
    /// its own ETag; after a lost race the partition is read and rewritten again. Rows the rewrite leaves as they were
    /// are not written. The RFA row goes last, so a crash part-way leaves the values a retry needs to find the rest.
    /// </summary>
    public async Task RewriteAsync(string referralId, ReferralRewrite rewrite, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {referralId}");
        for (var attempt = 1; ; attempt++)
        {
            var rows = await table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ToListAsync(cancellationToken);
            var changes = rows.Select(row => Rewritten(row, rewrite)).OfType<TableEntity>()
                .OrderBy(row => row.RowKey == SubmissionRow).ToList();
            try
            {
                foreach (var change in changes)
                {
                    await table.UpdateEntityAsync(change, change.ETag, TableUpdateMode.Merge, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException failure) when (failure.Status == 412 && attempt < MaxRewriteAttempts)
            {
                // A command committed meanwhile; its new rows are rewritten on the next pass.
            }
        }
    }

    /// <summary>
    /// Creates the referral with its first decision in one transaction.
    /// Returns false when a referral with this id already exists (another intake of the same submission won).
    /// </summary>
    public async Task<bool> CreateAsync(
        string referralId, ReferralSubmission submission, Decision decision, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var submissionRow = new TableEntity(referralId, SubmissionRow) { ["Submission"] = Write(submission) };
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, StateEntity(referralId, decision, decision.History.Count, decision.Effects.Count)),
            new(TableTransactionActionType.Add, submissionRow),
        };
        actions.AddRange(Appended(referralId, decision, historyCount: 0, outboxCount: 0));
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 409 && failure.FailedTransactionActionIndex == 0)
        {
            // The state row, the first action, exists: created first by someone else. (A 409 on a later row would be a
            // bug, not a lost race, and is not answered as one.)
            return false;
        }
    }

    /// <summary>
    /// Commits a decision taken on <paramref name="loaded"/>. Returns false when the referral changed since it was
    /// loaded (the ETag no longer matches): the caller must decide again from a fresh read.
    /// </summary>
    public async Task<bool> CommitAsync(
        string referralId, LoadedReferral loaded, Decision decision, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace,
                StateEntity(referralId, decision, loaded.HistoryCount + decision.History.Count, loaded.OutboxCount + decision.Effects.Count),
                loaded.ETag),
        };
        actions.AddRange(Appended(referralId, decision, loaded.HistoryCount, loaded.OutboxCount));
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 412)
        {
            // The state row moved on since it was loaded. (A 409 on a history or outbox row while the ETag still
            // matched would mean the row counts are wrong: a bug, which must not be retried as if it were a race.)
            return false;
        }
    }

    private static TableEntity StateEntity(string referralId, Decision decision, int historyCount, int outboxCount) =>
        new(referralId, StateRow)
        {
            ["State"] = Write(decision.State),
            ["Status"] = decision.State.Status.ToString(),
            ["HistoryCount"] = historyCount,
            ["OutboxCount"] = outboxCount,
        };

    private static TableEntity? Rewritten(TableEntity row, ReferralRewrite rewrite) => row.RowKey switch
    {
        StateRow => Changed(row, "State", rewrite.State),
        SubmissionRow => Changed(row, "Submission", rewrite.Submission),
        var key when key.StartsWith(HistoryPrefix, StringComparison.Ordinal) => Changed(row, "Entry", rewrite.History),
        _ => null,
    };

    /// <summary>Just the rewritten property, to merge under the row's ETag; null when the rewrite changed nothing.</summary>
    private static TableEntity? Changed<T>(TableEntity row, string property, Func<T, T> rewrite)
    {
        var value = Read<T>(row, property);
        var after = Write(rewrite(value));
        return after == Write(value) ? null : new TableEntity(row.PartitionKey, row.RowKey) { [property] = after, ETag = row.ETag };
    }

    // Row numbers continue from the counts on the state row, so a lost race collides on them as well as on the ETag.
    private IEnumerable<TableTransactionAction> Appended(
        string referralId, Decision decision, int historyCount, int outboxCount)
    {
        var history = decision.History.Select((entry, index) => new TableTransactionAction(
            TableTransactionActionType.Add,
            new TableEntity(referralId, HistoryPrefix + (historyCount + index + 1).ToString("D6", CultureInfo.InvariantCulture))
            {
                ["Entry"] = Write(entry),
            }));
        return history.Concat(Outbox.Append(referralId, decision.Effects, outboxCount));
    }

    private static string Write<T>(T value) => JsonSerializer.Serialize(value, DomainJson.Options);

    private static T Read<T>(TableEntity entity, string property) =>
        JsonSerializer.Deserialize<T>(entity.GetString(property)!, DomainJson.Options)!;
}

/// <summary>A referral's state as loaded, with what a commit on it must be conditioned on and continue from.</summary>
public sealed record LoadedReferral(Referral State, ETag ETag, int HistoryCount, int OutboxCount);

/// <summary>How <see cref="ReferralStore.RewriteAsync"/> changes each kind of row.</summary>
public sealed record ReferralRewrite(
    Func<ReferralSubmission, ReferralSubmission> Submission, Func<Referral, Referral> State, Func<HistoryEntry, HistoryEntry> History);
