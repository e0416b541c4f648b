using Azure;
using Azure.Data.Tables;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Partners;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Partners;

/// <summary>
/// Partner profiles in table <c>Partners</c>, one row per partner (row key = partner id). The imported profile and the
/// matching state (<c>PausedUntil</c>, <c>LastAssignedAt</c>, <c>CapacityDeclineUsed</c>) are separate properties of
/// the row, and every write merges only its own: the weekly profile import never resets the matching state.
/// </summary>
public sealed class PartnerStore(StorageResources storage)
{
    public const string TableName = "Partners";
    private const string PartitionKey = "partner";
    private const string PausedUntil = nameof(PartnerProfile.PausedUntil);
    private const string LastAssignedAt = nameof(PartnerProfile.LastAssignedAt);
    private const string CapacityDeclineUsed = nameof(PartnerProfile.CapacityDeclineUsed);

    public async Task<IReadOnlyList<PartnerProfile>> ListAsync(CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey}");
        var partners = new List<PartnerProfile>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            partners.Add(ToProfile(entity));
        }

        return partners;
    }

    /// <summary>
    /// Up to <paramref name="pageSize"/> partners in id order after <paramref name="afterId"/> (null: from the first),
    /// in one range read, and the id to continue after (null: no more).
    /// </summary>
    public async Task<(IReadOnlyList<PartnerProfile> Partners, string? After)> PageAsync(
        string? afterId, int pageSize, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = afterId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey} and RowKey gt {afterId}");

        // One more than the page, to know whether another page follows; rows come in row key (id) order.
        var rows = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(pageSize + 1, 1000), cancellationToken: cancellationToken))
        {
            rows.Add(entity);
            if (rows.Count > pageSize)
            {
                break;
            }
        }

        var page = rows.Take(pageSize).Select(ToProfile).ToList();
        return (page, rows.Count > pageSize ? page[^1].Id : null);
    }

    public async Task<PartnerProfile?> GetAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, partnerId, cancellationToken: cancellationToken);
        return row.HasValue ? ToProfile(row.Value!) : null;
    }

    /// <summary>Whether no partner is stored at all (the demo data seed's cue).</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey}");
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken))
        {
            return false;
        }

        return true;
    }

    /// <summary>
    /// Creates the partner, or replaces its profile fields and keeps its matching state. The profile's own
    /// matching-state values are ignored: only the matching workflow and the pause route change those.
    /// </summary>
    /// <returns>The partner as stored, and whether it was created.</returns>
    public async Task<SavedPartner> SaveProfileAsync(PartnerProfile profile, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var table = await storage.TableAsync(TableName, cancellationToken);
        var entity = ToEntity(profile);
        bool created;
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            created = true;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            // An import is a blind write of the profile properties on purpose (the upstream data wins); merging leaves
            // the matching-state properties, which it never carries, as they are.
            await table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
            created = false;
        }

        var stored = await GetAsync(profile.Id, cancellationToken)
            ?? throw new InvalidOperationException($"Partner {profile.Id} was deleted while it was being saved.");
        return new SavedPartner(stored, created);
    }

    /// <summary>Turns referrals off until <paramref name="until"/>; null when there is no such partner.</summary>
    public async Task<PartnerProfile?> PauseAsync(
        string partnerId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        try
        {
            // The latest pause request wins whatever else changed, so any version will do; the update (not an upsert)
            // refuses to create a partner that does not exist.
            await table.UpdateEntityAsync(
                new TableEntity(PartitionKey, partnerId) { [PausedUntil] = until }, ETag.All, TableUpdateMode.Merge,
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }

        return await GetAsync(partnerId, cancellationToken);
    }

    /// <summary>
    /// Records that the partner was given a referral at <paramref name="at"/>, unless a later assignment is already
    /// recorded: round robin must never see a partner as waiting longer than it has, whatever order writers finish in.
    /// Returns the partner's profile as it now stands (the email that follows the assignment needs it).
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such partner.</exception>
    public async Task<PartnerProfile> RecordAssignedAsync(string partnerId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        while (true)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, partnerId, cancellationToken: cancellationToken);
            if (!row.HasValue)
            {
                throw new InvalidOperationException($"Partner {partnerId} is not in table {TableName}.");
            }

            var current = row.Value!;
            if (current.GetDateTimeOffset(LastAssignedAt) >= at)
            {
                return ToProfile(current);
            }

            try
            {
                await table.UpdateEntityAsync(
                    new TableEntity(PartitionKey, partnerId) { [LastAssignedAt] = at }, current.ETag,
                    TableUpdateMode.Merge, cancellationToken);
                current[LastAssignedAt] = at;
                return ToProfile(current);
            }
            catch (RequestFailedException e) when (e.Status == StatusCodes.Status412PreconditionFailed)
            {
                // Someone else wrote the row since we read it (each 412 means another writer succeeded, so this ends):
                // compare again with what is there now.
            }
        }
    }

    /// <summary>Records that the partner has used its one granted "at capacity" decline (SPEC §6).</summary>
    /// <exception cref="RequestFailedException">Status 404: there is no such partner.</exception>
    public async Task RecordCapacityDeclineUsedAsync(string partnerId, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);

        // The flag only ever goes from false to true, so a write over any version cannot lose anything.
        await table.UpdateEntityAsync(
            new TableEntity(PartitionKey, partnerId) { [CapacityDeclineUsed] = true }, ETag.All, TableUpdateMode.Merge,
            cancellationToken);
    }

    private static TableEntity ToEntity(PartnerProfile profile) => new(PartitionKey, profile.Id)
    {
        [nameof(PartnerProfile.Name)] = profile.Name,
        [nameof(PartnerProfile.Fpc)] = profile.Fpc,
        [nameof(PartnerProfile.Frp)] = profile.Frp,
        [nameof(PartnerProfile.ReferralReady)] = profile.ReferralReady,
        [nameof(PartnerProfile.BenefitReferrals)] = profile.BenefitReferrals,
        [nameof(PartnerProfile.HomeCountry)] = profile.HomeCountry,
        [nameof(PartnerProfile.Countries)] = Join(profile.Countries),
        [nameof(PartnerProfile.Languages)] = Join(profile.Languages),
        [nameof(PartnerProfile.Industries)] = Join(profile.Industries.Select(segment => segment.ToString())),
        [nameof(PartnerProfile.MinSeats)] = profile.MinSeats,
        [nameof(PartnerProfile.MaxSeats)] = profile.MaxSeats,
        [nameof(PartnerProfile.Endorsements)] = Join(profile.Endorsements.Select(workload => workload.ToString())),
        [nameof(PartnerProfile.ReferralContact)] = profile.ReferralContact,
        [nameof(PartnerProfile.TimeZone)] = profile.TimeZone,
        [nameof(PartnerProfile.FpmEmail)] = profile.FpmEmail,
    };

    private static PartnerProfile ToProfile(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString(nameof(PartnerProfile.Name))!,
        entity.GetBoolean(nameof(PartnerProfile.Fpc)) ?? false,
        entity.GetBoolean(nameof(PartnerProfile.Frp)) ?? false,
        entity.GetBoolean(nameof(PartnerProfile.ReferralReady)) ?? false,
        entity.GetBoolean(nameof(PartnerProfile.BenefitReferrals)) ?? false,
        entity.GetString(nameof(PartnerProfile.HomeCountry))!,
        Split(entity.GetString(nameof(PartnerProfile.Countries))).ToHashSet(StringComparer.Ordinal),
        Split(entity.GetString(nameof(PartnerProfile.Languages))).ToHashSet(StringComparer.Ordinal),
        Split(entity.GetString(nameof(PartnerProfile.Industries))).Select(Enum.Parse<Segment>).ToHashSet(),
        entity.GetInt32(nameof(PartnerProfile.MinSeats)) ?? 0,
        entity.GetInt32(nameof(PartnerProfile.MaxSeats)) ?? 0,
        Split(entity.GetString(nameof(PartnerProfile.Endorsements))).Select(Enum.Parse<Workload>).ToHashSet(),
        entity.GetString(nameof(PartnerProfile.ReferralContact))!,
        entity.GetString(nameof(PartnerProfile.TimeZone))!,
        entity.GetString(nameof(PartnerProfile.FpmEmail))!,
        entity.GetDateTimeOffset(PausedUntil),
        entity.GetDateTimeOffset(LastAssignedAt),
        entity.GetBoolean(CapacityDeclineUsed) ?? false);

    private static string Join(IEnumerable<string> values) => string.Join(',', values.Order(StringComparer.Ordinal));

    private static string[] Split(string? joined) =>
        string.IsNullOrEmpty(joined) ? [] : joined.Split(',');
}

/// <summary>The partner as stored after a profile import, and whether the import created it.</summary>
public sealed record SavedPartner(PartnerProfile Partner, bool Created);
