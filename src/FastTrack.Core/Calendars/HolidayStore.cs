using System.Globalization;
using Azure.Data.Tables;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Calendars;

/// <summary>
/// Public holidays per country (SPEC §8) in table <c>Calendars</c>, one row per country (row key = ISO 3166-1
/// alpha-2 code). A country without a row has no holidays.
/// </summary>
public sealed class HolidayStore(StorageResources storage)
{
    public const string TableName = "Calendars";
    private const string PartitionKey = "holidays";
    private const string Holidays = "Holidays";
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>Country → holidays, for every country with a calendar (the referral workflow's <c>ReferralContext</c>).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlySet<DateOnly>>> AllAsync(CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionKey}");
        var calendars = new Dictionary<string, IReadOnlySet<DateOnly>>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            calendars[entity.RowKey] = ToDates(entity);
        }

        return calendars;
    }

    /// <summary>The country's holidays; null when no calendar was stored for it.</summary>
    public async Task<IReadOnlySet<DateOnly>?> GetAsync(string country, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, country, cancellationToken: cancellationToken);
        return row.HasValue ? ToDates(row.Value!) : null;
    }

    /// <summary>Replaces the country's holidays.</summary>
    public async Task SaveAsync(string country, IReadOnlySet<DateOnly> holidays, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        var table = await storage.TableAsync(TableName, cancellationToken);

        // A calendar is replaced whole by its owner (operations); the latest import wins over any version on purpose.
        var dates = string.Join(',', holidays.Order().Select(date => date.ToString(DateFormat, CultureInfo.InvariantCulture)));
        await table.UpsertEntityAsync(
            new TableEntity(PartitionKey, country) { [Holidays] = dates }, TableUpdateMode.Replace, cancellationToken);
    }

    private static HashSet<DateOnly> ToDates(TableEntity entity) =>
        entity.GetString(Holidays) is { Length: > 0 } dates
            ? dates.Split(',').Select(date => DateOnly.ParseExact(date, DateFormat, CultureInfo.InvariantCulture)).ToHashSet()
            : [];
}
