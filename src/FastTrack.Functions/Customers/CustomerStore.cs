using System.Text.Json;
using Azure;
using FastTrack.Domain;
using FastTrack.Domain.Catalog;
using FastTrack.Functions.Hosting;
using FastTrack.Storage.Tables;

namespace FastTrack.Functions.Customers;

/// <summary>
/// Customer profiles in table <c>Customers</c>, one row per tenant (row key = tenant id). An import replaces the
/// whole row: everything in it comes from upstream, nothing is kept by the workflow.
/// </summary>
public sealed class CustomerStore(StorageAccount storage)
{
    public const string TableName = "Customers";
    private const string PartitionKey = "customer";

    private readonly TableClient _table = storage.GetTableClient(TableName);
    private readonly CreateOnce _created = new(() => storage.GetTableClient(TableName).CreateIfNotExistsAsync());

    public async Task<CustomerProfile?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        await _created.EnsureAsync();
        var row = await _table.GetEntityIfExistsAsync(PartitionKey, tenantId, cancellationToken: cancellationToken);
        return row.HasValue ? ToProfile(row.Value!) : null;
    }

    /// <summary>Creates or replaces the customer; true when it was created.</summary>
    public async Task<bool> SaveAsync(CustomerProfile customer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        await _created.EnsureAsync();
        var entity = ToEntity(customer);
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            // The upstream import wins over any version stored: a blind replace on purpose.
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
            return false;
        }
    }

    private static TableEntity ToEntity(CustomerProfile customer) => new(PartitionKey, customer.TenantId)
    {
        [nameof(CustomerProfile.Tpid)] = customer.Tpid,
        [nameof(CustomerProfile.Name)] = customer.Name,
        [nameof(CustomerProfile.Country)] = customer.Country,
        [nameof(CustomerProfile.Language)] = customer.Language,
        [nameof(CustomerProfile.Segment)] = customer.Segment.ToString(),
        [nameof(CustomerProfile.Seats)] = customer.Seats,
        [nameof(CustomerLicenses.PaidEligibleSeats)] = customer.Licenses.PaidEligibleSeats,
        [nameof(CustomerLicenses.UnusedEligibleSeats)] = customer.Licenses.UnusedEligibleSeats,
        [nameof(CustomerProfile.MonthlyActiveUsage)] = JsonSerializer.Serialize(customer.MonthlyActiveUsage, DomainJson.Options),
        [nameof(CustomerProfile.Claims)] = JsonSerializer.Serialize(customer.Claims, DomainJson.Options),
    };

    private static CustomerProfile ToProfile(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString(nameof(CustomerProfile.Tpid))!,
        entity.GetString(nameof(CustomerProfile.Name))!,
        entity.GetString(nameof(CustomerProfile.Country))!,
        entity.GetString(nameof(CustomerProfile.Language))!,
        Enum.Parse<Segment>(entity.GetString(nameof(CustomerProfile.Segment))!),
        entity.GetInt32(nameof(CustomerProfile.Seats)) ?? 0,
        new CustomerLicenses(
            entity.GetInt32(nameof(CustomerLicenses.PaidEligibleSeats)) ?? 0,
            entity.GetInt32(nameof(CustomerLicenses.UnusedEligibleSeats)) ?? 0),
        JsonSerializer.Deserialize<Dictionary<Workload, double>>(
            entity.GetString(nameof(CustomerProfile.MonthlyActiveUsage))!, DomainJson.Options)!,
        JsonSerializer.Deserialize<List<CporClaim>>(entity.GetString(nameof(CustomerProfile.Claims))!, DomainJson.Options)!);
}
