using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FastTrack.Domain;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Referrals;

/// <summary>
/// One referral is one partition of table <c>Referrals</c>: a <c>state</c> row (the snapshot, whose ETag guards every
/// change, and whose <c>Version</c> counts the decisions committed), the <c>rfa</c> row, append-only
/// <c>history-NNNNNN</c> rows, a <c>decision-NNNNNN</c> row per decision holding what it asks the workflow to do (its
/// effects), and <c>mail-NNNNNN-NN</c> rows recording each of those emails before and after it is sent. A decision's
/// state, history and effects are committed together in one entity group transaction.
/// </summary>
public sealed class ReferralStore(StorageResources storage)
{
    public const string TableName = "Referrals";
    private const string StateRow = "state";
    private const string SubmissionRow = "rfa";
    private const string HistoryPrefix = "history-";
    private const string DecisionPrefix = "decision-";
    private const string MailPrefix = "mail-";
    private const int MaxRewriteAttempts = 30;

    /// <summary>What <see cref="Loaded"/> reads of a state row.</summary>
    private static readonly string[] StateColumns = ["State", "HistoryCount", "Version", "CreatedAt"];

    /// <summary>The state and its ETag, or null when there is no such referral.</summary>
    public async Task<LoadedReferral?> LoadAsync(string referralId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(referralId, StateRow, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        return Loaded(row.Value!);
    }

    /// <summary>
    /// The state, the RFA, every decision committed after <paramref name="performedUpTo"/> and the mail records of
    /// those decisions, in one read of the partition; null when there is no such referral.
    /// </summary>
    public async Task<ReferralSince?> ReadSinceAsync(string referralId, int performedUpTo, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var (decisionsFrom, mailsFrom) = (DecisionKey(performedUpTo + 1), MailKey(performedUpTo + 1, 0));
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {referralId} and (RowKey eq {StateRow} or RowKey eq {SubmissionRow} or (RowKey ge {decisionsFrom} and RowKey lt {DecisionPrefix + "~"}) or (RowKey ge {mailsFrom} and RowKey lt {MailPrefix + "~"}))");
        LoadedReferral? loaded = null;
        ReferralSubmission? submission = null;
        var decisions = new List<CommittedDecision>();
        var mails = new Dictionary<string, MailRecord>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            switch (entity.RowKey)
            {
                case StateRow:
                    loaded = Loaded(entity);
                    break;
                case SubmissionRow:
                    submission = Read<ReferralSubmission>(entity, "Submission");
                    break;
                case var key when key.StartsWith(DecisionPrefix, StringComparison.Ordinal):
                    decisions.Add(new CommittedDecision(
                        int.Parse(key[DecisionPrefix.Length..], CultureInfo.InvariantCulture), Read<ReferralEffect[]>(entity, "Effects")));
                    break;
                default:
                    mails[entity.RowKey] = new MailRecord(
                        entity.GetInt32("Attempts") ?? 0, entity.GetDateTimeOffset("SendingAt"), entity.GetDateTimeOffset("SentAt"), entity.ETag);
                    break;
            }
        }

        // The two rows are created in one transaction: a state without its RFA is not a referral of this store.
        return loaded is null ? null
            : new ReferralSince(loaded, submission ?? throw new InvalidOperationException($"Referral {referralId} has a state row and no RFA row."), decisions, mails);
    }

    /// <summary>The key of the mail record of effect <paramref name="index"/> of decision <paramref name="version"/>.</summary>
    public static string MailKey(int version, int index) =>
        $"{MailPrefix}{version.ToString("D6", CultureInfo.InvariantCulture)}-{index.ToString("D2", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The "before" of an email: claims its next attempt, conditioned on the record as <paramref name="read"/> (null:
    /// none yet). False when another run of the same step claimed it first (Durable may run an activity twice, even at
    /// once): that run sends it, and this one must not.
    /// </summary>
    public async Task<bool> TryClaimMailAsync(string referralId, string mailKey, MailRecord? read, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var claim = new TableEntity(referralId, mailKey) { ["Attempts"] = (read?.Attempts ?? 0) + 1, ["SendingAt"] = now };
        try
        {
            await (read is null
                ? table.AddEntityAsync(claim, cancellationToken)
                : table.UpdateEntityAsync(claim, read.ETag, TableUpdateMode.Merge, cancellationToken));
            return true;
        }
        catch (RequestFailedException lost) when (lost.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    /// <summary>The "after": Graph accepted the email, which is never sent again.</summary>
    public Task MarkMailSentAsync(string referralId, string mailKey, DateTimeOffset now, CancellationToken cancellationToken) =>
        MergeAsync(new TableEntity(referralId, mailKey) { ["SentAt"] = now }, cancellationToken);

    /// <summary>Emails of the referral started since <paramref name="since"/> and not recorded as sent.</summary>
    public async Task<IReadOnlyList<string>> MailsInFlightAsync(string referralId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {referralId} and RowKey ge {MailPrefix} and RowKey lt {MailPrefix + "~"} and SendingAt ge {since}");
        return await table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)
            .Where(entity => entity.GetDateTimeOffset("SentAt") is null)
            .Select(entity => entity.RowKey)
            .ToListAsync(cancellationToken);
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

    /// <summary>The referral's history in order, in one range read of its partition.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> HistoryAsync(string referralId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {referralId} and RowKey ge {HistoryPrefix} and RowKey lt {HistoryPrefix + "~"}");
        return await table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)
            .Select(entity => Read<HistoryEntry>(entity, "Entry"))
            .ToListAsync(cancellationToken);
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
    /// One page of a scan of every referral's state row (the state's columns only), from <paramref name="continuationToken"/>
    /// (null: the start), at most <paramref name="pageSize"/> rows: for the one-off backfill of the lists' index. The
    /// page's token is null at the end of the table; a page may be short, or empty, before the end.
    /// </summary>
    public async Task<StatePage> StatesAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {StateRow}");
        var pages = table.QueryAsync<TableEntity>(filter, pageSize, StateColumns, cancellationToken).AsPages(continuationToken, pageSize);
        await foreach (var page in pages)
        {
            return new StatePage([.. page.Values.Select(Loaded)], page.ContinuationToken);
        }

        return new StatePage([], null);
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
    /// Creates the referral as received (<see cref="Referral.Received"/>), with its RFA, in one transaction; its
    /// workflow makes the first decision. Returns false when a referral with this id already exists (another intake
    /// of the same submission created it first).
    /// </summary>
    public async Task<bool> CreateAsync(string referralId, ReferralSubmission submission, Referral received, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, StateEntity(referralId, received, historyCount: 0, version: 0, submission.ReceivedAt)),
            new(TableTransactionActionType.Add, new TableEntity(referralId, SubmissionRow) { ["Submission"] = Write(submission) }),
        };
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
    /// Commits a decision taken on <paramref name="loaded"/> and returns the referral as committed. Returns null when
    /// the referral changed since it was loaded (the ETag no longer matches): the caller must decide again from a fresh
    /// read.
    /// </summary>
    public async Task<LoadedReferral?> CommitAsync(
        string referralId, LoadedReferral loaded, Decision decision, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var version = loaded.Version + 1;
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.UpdateReplace,
                StateEntity(referralId, decision.State, loaded.HistoryCount + decision.History.Count, version, loaded.CreatedAt),
                loaded.ETag),
        };

        // Row numbers continue from the state row's counts, so a lost race collides on them as well as on the ETag.
        actions.AddRange(decision.History.Select((entry, index) => new TableTransactionAction(
            TableTransactionActionType.Add,
            new TableEntity(referralId, HistoryPrefix + (loaded.HistoryCount + index + 1).ToString("D6", CultureInfo.InvariantCulture))
            {
                ["Entry"] = Write(entry),
            })));
        actions.Add(new TableTransactionAction(
            TableTransactionActionType.Add,
            new TableEntity(referralId, DecisionKey(version)) { ["Effects"] = Write(decision.Effects) }));
        try
        {
            // The state row's update is the first action: its response carries the new ETag.
            var responses = await table.SubmitTransactionAsync(actions, cancellationToken);
            return new LoadedReferral(decision.State, responses.Value[0].Headers.ETag!.Value, loaded.HistoryCount + decision.History.Count, version)
            {
                CreatedAt = loaded.CreatedAt,
            };
        }
        catch (TableTransactionFailedException failure) when (failure.Status == 412)
        {
            // The state row moved on since it was loaded. (A 409 on a history or decision row while the ETag still
            // matched would mean the row counts are wrong: a bug, which must not be retried as if it were a race.)
            return null;
        }
    }

    /// <summary>
    /// The state row. <c>CreatedAt</c> (the RFA's receipt) is copied onto it so that the referral lists' index keys
    /// (<see cref="ReferralIndex"/>) can be made from the state alone; rows written before it existed lack it.
    /// </summary>
    private static TableEntity StateEntity(string referralId, Referral state, int historyCount, int version, DateTimeOffset? createdAt)
    {
        var entity = new TableEntity(referralId, StateRow)
        {
            ["State"] = Write(state),
            ["Status"] = state.Status.ToString(),
            ["HistoryCount"] = historyCount,
            ["Version"] = version,
        };
        if (createdAt is { } at)
        {
            entity["CreatedAt"] = at;
        }

        return entity;
    }

    private static LoadedReferral Loaded(TableEntity stateRow) => new(
        Read<Referral>(stateRow, "State"), stateRow.ETag, stateRow.GetInt32("HistoryCount") ?? 0, stateRow.GetInt32("Version") ?? 0)
    {
        CreatedAt = stateRow.GetDateTimeOffset("CreatedAt"),
    };

    private static string DecisionKey(int version) => DecisionPrefix + version.ToString("D6", CultureInfo.InvariantCulture);

    private async Task MergeAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

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

    private static string Write<T>(T value) => JsonSerializer.Serialize(value, DomainJson.Options);

    private static T Read<T>(TableEntity entity, string property) =>
        JsonSerializer.Deserialize<T>(entity.GetString(property)!, DomainJson.Options)!;
}

/// <summary>
/// A referral's state as loaded, with what a commit on it must be conditioned on and continue from, and when it was
/// received (null for a state row written before that was recorded on it).
/// </summary>
public sealed record LoadedReferral(Referral State, ETag ETag, int HistoryCount, int Version)
{
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>A page of state rows and the token to read on from (null: the table ends here).</summary>
public sealed record StatePage(IReadOnlyList<LoadedReferral> States, string? ContinuationToken);

/// <summary>What one committed decision asked for: the effects of decision <paramref name="Version"/>, in order.</summary>
public sealed record CommittedDecision(int Version, IReadOnlyList<ReferralEffect> Effects);

/// <summary>
/// An email's record: how often it was started, the last start, when Graph accepted it (null: not yet), and the ETag
/// the next claim is conditioned on.
/// </summary>
public sealed record MailRecord(int Attempts, DateTimeOffset? SendingAt, DateTimeOffset? SentAt, ETag ETag);

/// <summary>A referral as a workflow step reads it: the state, the RFA, the decisions since its last step, their mail records.</summary>
public sealed record ReferralSince(
    LoadedReferral Loaded, ReferralSubmission Submission, IReadOnlyList<CommittedDecision> Decisions, IReadOnlyDictionary<string, MailRecord> Mails)
{
    /// <summary>
    /// This, followed by <paramref name="decision"/> committed as <paramref name="committed"/> right on this state:
    /// what reading the partition again would return (a decision's emails have no records before it commits).
    /// </summary>
    public ReferralSince Then(LoadedReferral committed, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(committed);
        ArgumentNullException.ThrowIfNull(decision);
        if (committed.Version != Loaded.Version + 1)
        {
            throw new ArgumentException($"Version {committed.Version} does not follow {Loaded.Version}.", nameof(committed));
        }

        return this with { Loaded = committed, Decisions = [.. Decisions, new CommittedDecision(committed.Version, decision.Effects)] };
    }
}

/// <summary>How <see cref="ReferralStore.RewriteAsync"/> changes each kind of row.</summary>
public sealed record ReferralRewrite(
    Func<ReferralSubmission, ReferralSubmission> Submission, Func<Referral, Referral> State, Func<HistoryEntry, HistoryEntry> History);
