using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FastTrack.Domain;
using FastTrack.Domain.Catalog;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Customers;

/// <summary>
/// Customer profiles in table <c>Customers</c>, one row per tenant (row key = tenant id). An import replaces the
/// whole row: everything in it comes from upstream, nothing is kept by the workflow.
/// </summary>
public sealed class CustomerStore(StorageResources storage)
{
    public const string TableName = "Customers";
    private const string PartitionKey = "customer";

    public async Task<CustomerProfile?> GetAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionKey, tenantId, cancellationToken: cancellationToken);
        return row.HasValue ? ToProfile(row.Value!) : null;
    }

    /// <summary>Creates or replaces the customer; true when it was created.</summary>
    public async Task<bool> SaveAsync(CustomerProfile customer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var table = await storage.TableAsync(TableName, cancellationToken);
        var entity = ToEntity(customer);
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status409Conflict)
        {
            // The upstream import wins over any version stored: a blind replace on purpose.
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
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
