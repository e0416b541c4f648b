using System.Globalization;
using Azure;
using Azure.Data.Tables;
using FastTrack.Core.Storage;
using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Referrals;

/// <summary>
/// The referral lists' index, table <c>ReferralIndex</c>: pointers to referrals, outside their partitions, so that a page
/// of a list is one range query and a point read per referral shown, however many referrals there are. Partitions:
/// <c>created</c> (every referral), <c>status-{Status}</c> (the referrals in that status; not Matching, which every
/// referral leaves at its first step: those are the newest of <c>created</c>) and <c>partner-{partnerId}</c> (the
/// referrals with a part the partner holds now). The row key is the referral's creation time as inverted ticks,
/// then its id, so a range read returns the newest first; a row holds the id and the state version it was written for,
/// nothing about the customer or its contact.
/// </summary>
/// <remarks>
/// Nothing commits across partitions, so the index is only ever a superset of the truth, kept so by write order: a
/// transition's new memberships are written before it commits (<see cref="BeforeCommitAsync"/>), the memberships it
/// ended are removed after (<see cref="AfterCommitAsync"/>). A crash between leaves a row too many, which the reader
/// skips after checking the referral's state row, and removes once the state's version has reached the row's (a row
/// written for a version not yet committed is a transition in flight, and stays). No membership goes missing: a write
/// that fails fails its transition before the commit, and a removal is conditioned on the entry's ETag, so it never
/// takes an entry a later transition has written again. Referrals stored before the index existed get their entries
/// from a one-time backfill.
/// </remarks>
public sealed partial class ReferralIndex(StorageResources storage, ReferralStore referrals, ILogger<ReferralIndex> logger)
{
    public const string TableName = "ReferralIndex";

    /// <summary>Index rows examined at most per page: a filter that matches little returns a short page and a token, not a long wait.</summary>
    public const int MaxScannedPerPage = 500;

    private const string CreatedPartition = "created";
    private const string StatusPrefix = "status-";
    private const string PartnerPrefix = "partner-";
    private const int TicksDigits = 19;

    /// <summary>The intake's intent, before the referral is stored: it appears in the lists once it exists.</summary>
    public Task AddReceivedAsync(string referralId, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        UpsertAsync(referralId, createdAt, [CreatedPartition], version: 0, cancellationToken);

    /// <summary>Before a transition to <paramref name="next"/> commits as <paramref name="version"/>: the memberships it adds.</summary>
    public async Task BeforeCommitAsync(LoadedReferral loaded, Referral next, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var added = Partitions(next).Except(Partitions(loaded.State)).ToList();
        if (added.Count > 0)
        {
            await UpsertAsync(loaded.State.Id, await CreatedAtAsync(loaded, cancellationToken), added, version, cancellationToken);
        }
    }

    /// <summary>After the transition from <paramref name="loaded"/> committed as <paramref name="version"/>: the memberships it ended.</summary>
    public async Task AfterCommitAsync(LoadedReferral loaded, Referral committed, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var ended = Partitions(loaded.State).Except(Partitions(committed)).ToList();
        if (ended.Count == 0)
        {
            return;
        }

        var table = await storage.TableAsync(TableName, cancellationToken);
        var rowKey = RowKey(await CreatedAtAsync(loaded, cancellationToken), loaded.State.Id);
        foreach (var partition in ended)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
            if (row.HasValue)
            {
                await RemoveIfStaleAsync(table, row.Value!, loaded.State.Id, version, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The backfill's write (<see cref="ReferralIndexBackfill"/>): each entry of the referral as <paramref name="loaded"/>
    /// that is not there yet. Returns how many it added.
    /// </summary>
    /// <remarks>
    /// Add, not upsert: an entry already there was written by the workflow, at this version or a later one. Replaced
    /// with this (possibly older) version, a later transition's intent would look stale to a reader, who would remove
    /// it before that transition commits.
    /// </remarks>
    public async Task<int> AddMissingAsync(LoadedReferral loaded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var table = await storage.TableAsync(TableName, cancellationToken);
        var entries = EntriesOf(loaded.State, await CreatedAtAsync(loaded, cancellationToken), loaded.Version);
        var added = await Task.WhenAll(entries.Select(async entry =>
        {
            try
            {
                await table.AddEntityAsync(entry, cancellationToken);
                return 1;
            }
            catch (RequestFailedException exists) when (exists.Status == 409)
            {
                return 0;
            }
        }));
        return added.Sum();
    }

    /// <summary>
    /// One page of the referrals that <paramref name="query"/> matches, newest first. Reads the most selective partition
    /// from <paramref name="query"/>'s position, checks each entry against the referral's state row (the truth), and
    /// removes the entries it finds stale. The page may be short, even empty, while a continuation position is given:
    /// at most <see cref="MaxScannedPerPage"/> index rows are examined per page.
    /// </summary>
    public async Task<IndexPage> PageAsync(ReferralQuery query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var table = await storage.TableAsync(TableName, cancellationToken);
        var partition = query.PartnerId is { } partnerId ? PartnerPrefix + partnerId
            : query.Status is { } status and not ReferralStatus.Matching ? StatusPartition(status)
            : query.Overdue ? StatusPartition(ReferralStatus.Offered)
            : CreatedPartition;
        var (from, to) = Range(query);
        var position = query.After;
        var items = new List<IndexedReferral>();
        var scanned = 0;
        while (true)
        {
            var filter = position is not null && string.CompareOrdinal(position, from) >= 0
                ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {position} and RowKey lt {to}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey lt {to}");
            var batchSize = Math.Min(query.PageSize - items.Count + 1, MaxScannedPerPage - scanned);
            var batch = await FirstPageAsync(table, filter, batchSize, cancellationToken);
            var examined = 0;
            while (examined < batch.Count && items.Count < query.PageSize)
            {
                var chunk = batch.Skip(examined).Take(query.PageSize - items.Count).ToList();
                var states = await Task.WhenAll(chunk.Select(row => referrals.LoadAsync(ReferralIdOf(row.RowKey), cancellationToken)));
                for (var i = 0; i < chunk.Count; i++)
                {
                    var (row, loaded) = (chunk[i], states[i]);
                    examined++;
                    if (loaded is null)
                    {
                        // The intake wrote the intent and has not stored the referral yet (or never will).
                        continue;
                    }

                    if (!Partitions(loaded.State).Append(CreatedPartition).Contains(partition))
                    {
                        await RemoveIfStaleAsync(table, row, loaded.State.Id, loaded.Version, cancellationToken);
                        continue;
                    }

                    if (query.Matches(loaded.State, now))
                    {
                        items.Add(new IndexedReferral(loaded.State, CreatedAtOf(row.RowKey)));
                    }
                }
            }

            scanned += examined;
            var more = examined < batch.Count || batch.Count == batchSize;
            if (examined > 0)
            {
                position = batch[examined - 1].RowKey;
            }

            if (!more)
            {
                return new IndexPage(items, null);
            }

            if (items.Count >= query.PageSize || scanned >= MaxScannedPerPage)
            {
                return new IndexPage(items, position);
            }
        }
    }

    /// <summary>True when <paramref name="position"/> is a row key this index writes (a continuation position from outside).</summary>
    public static bool IsPosition(string position) =>
        position.Length > TicksDigits + 1 && position[..TicksDigits].All(char.IsAsciiDigit) && position[TicksDigits] == '-' &&
        FastTrack.Domain.IdRule.IsValid(position[(TicksDigits + 1)..]);

    /// <summary>The memberships of <paramref name="referral"/> besides <c>created</c>: its status (but Matching) and each partner holding a part.</summary>
    private static IEnumerable<string> Partitions(Referral referral)
    {
        var partners = referral.Parts.Select(part => part.PartnerId).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(partnerId => PartnerPrefix + partnerId);
        return referral.Status == ReferralStatus.Matching ? partners : partners.Prepend(StatusPartition(referral.Status));
    }

    private static string StatusPartition(ReferralStatus status) => StatusPrefix + status;

    private static string RowKey(DateTimeOffset createdAt, string referralId) =>
        Inverted(createdAt).ToString("D19", CultureInfo.InvariantCulture) + "-" + referralId;

    private static long Inverted(DateTimeOffset at) => DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks;

    private static string ReferralIdOf(string rowKey) => rowKey[(TicksDigits + 1)..];

    private static DateTimeOffset CreatedAtOf(string rowKey) =>
        new(DateTimeOffset.MaxValue.UtcTicks - long.Parse(rowKey[..TicksDigits], CultureInfo.InvariantCulture), TimeSpan.Zero);

    /// <summary>The row key range of the query's creation window: newer is smaller, so <c>createdTo</c> is the lower bound.</summary>
    private static (string From, string To) Range(ReferralQuery query)
    {
        var from = query.CreatedTo is { } to ? (Inverted(to) + 1).ToString("D19", CultureInfo.InvariantCulture) : "0";

        // '.' sorts just after '-', so this bound is above every row key of that instant.
        var until = query.CreatedFrom is { } start ? Inverted(start).ToString("D19", CultureInfo.InvariantCulture) + "." : "a";
        return (from, until);
    }

    private async Task<DateTimeOffset> CreatedAtAsync(LoadedReferral loaded, CancellationToken cancellationToken) =>
        loaded.CreatedAt
        ?? (await referrals.GetSubmissionAsync(loaded.State.Id, cancellationToken))?.ReceivedAt
        ?? throw new InvalidOperationException($"Referral {loaded.State.Id} has a state row and no RFA row.");

    /// <summary>Every entry <paramref name="referral"/> has at <paramref name="version"/> (what the backfill adds; the benchmark seeds with them).</summary>
    public static IEnumerable<TableEntity> EntriesOf(Referral referral, DateTimeOffset createdAt, int version)
    {
        ArgumentNullException.ThrowIfNull(referral);
        return Partitions(referral).Prepend(CreatedPartition).Select(partition => Entry(partition, referral.Id, createdAt, version));
    }

    private static TableEntity Entry(string partition, string referralId, DateTimeOffset createdAt, int version) =>
        new(partition, RowKey(createdAt, referralId)) { ["ReferralId"] = referralId, ["Version"] = version };

    private async Task UpsertAsync(
        string referralId, DateTimeOffset createdAt, IReadOnlyList<string> partitions, int version, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);

        // One partition each, so one request each (a batch may not span partitions).
        await Task.WhenAll(partitions.Select(partition => table.UpsertEntityAsync(
            Entry(partition, referralId, createdAt, version), TableUpdateMode.Replace, cancellationToken)));
    }

    /// <summary>
    /// Removes an entry the referral no longer belongs to, unless it was written for a version not yet committed (an
    /// intent in flight) or rewritten since it was read (its ETag moved: a later transition wants it).
    /// </summary>
    private async Task RemoveIfStaleAsync(TableClient table, TableEntity row, string referralId, int committedVersion, CancellationToken cancellationToken)
    {
        if ((row.GetInt32("Version") ?? 0) > committedVersion)
        {
            return;
        }

        try
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
            LogRemovedStale(referralId, row.PartitionKey);
        }
        catch (RequestFailedException gone) when (gone.Status is 404 or 412)
        {
            // Removed by another reader, or rewritten by a later transition: either way not ours to remove.
        }
    }

    private static async Task<IReadOnlyList<TableEntity>> FirstPageAsync(
        TableClient table, string filter, int size, CancellationToken cancellationToken)
    {
        await foreach (var page in table.QueryAsync<TableEntity>(filter, maxPerPage: size, cancellationToken: cancellationToken).AsPages())
        {
            // The service may return fewer rows than asked with a continuation; the next round asks again from there.
            return page.Values.Take(size).ToList();
        }

        return [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {ReferralId}: removed its stale entry in index partition {Partition}")]
    private partial void LogRemovedStale(string referralId, string partition);
}

/// <summary>What a referral list asks for (API.md <c>GET /api/referrals</c>); null filters do not filter.</summary>
public sealed record ReferralQuery(
    ReferralStatus? Status,
    string? PartnerId,
    bool Overdue,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedTo,
    int PageSize,
    string? After)
{
    /// <summary>Whether the referral, as its state row says, is one this list shows.</summary>
    public bool Matches(Referral referral, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(referral);
        return (Status is not { } status || referral.Status == status)
            && (PartnerId is not { } partnerId || referral.Parts.Any(part => part.PartnerId == partnerId))
            && (!Overdue || referral.Parts.Any(part => part.Status == PartStatus.Offered && part.DueAt < now));
    }
}

/// <summary>A referral found through the index, with when it was received.</summary>
public sealed record IndexedReferral(Referral Referral, DateTimeOffset CreatedAt);

/// <summary>A page of a list and the position to continue from (null: the list ends here).</summary>
public sealed record IndexPage(IReadOnlyList<IndexedReferral> Items, string? After);
