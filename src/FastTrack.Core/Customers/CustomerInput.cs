using System.Text.Json;
using FastTrack.Domain.Catalog;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Customers;

/// <summary>The body of <c>PUT /api/customers/{tenantId}</c> (API.md) read into a profile, or every problem with it.</summary>
public static class CustomerInput
{
    /// <summary>The profile, or the problems keyed by field; never both.</summary>
    public static (CustomerProfile? Profile, Dictionary<string, string[]> Problems) Read(string tenantId, JsonElement body)
    {
        var fields = JsonFields.Of(body);
        fields.CheckId("tenantId", tenantId);

        var tpid = NotBlank(fields, "tpid");
        var name = NotBlank(fields, "name");
        var country = fields.String("country") is { } c ? JsonFields.Country(c) : null;
        if (country is not null && !JsonFields.IsCountryCode(country))
        {
            fields.Problem("country", "Expected an ISO 3166-1 alpha-2 code such as US.");
        }

        var language = fields.String("language") is { } l ? JsonFields.Language(l) : null;
        if (language is not null && !JsonFields.IsLanguageCode(language))
        {
            fields.Problem("language", "Expected an ISO 639-1 code such as en.");
        }

        var segment = fields.Enum<Segment>("segment");
        var seats = fields.Int32("seats");
        if (seats < 0)
        {
            fields.Problem("seats", $"Seats cannot be negative ({seats}).");
        }

        var licenses = ReadLicenses(fields);
        var usage = fields.NumbersByName<Workload>("monthlyActiveUsage");
        foreach (var (workload, fraction) in usage ?? new Dictionary<Workload, double>())
        {
            if (fraction is < 0 or > 1)
            {
                fields.Problem($"monthlyActiveUsage.{workload}", $"Usage is a fraction from 0 to 1 (0.45 = 45%), not {fraction}.");
            }
        }

        var claims = ReadClaims(fields);
        if (fields.HasProblems)
        {
            return (null, fields.Problems());
        }

        var profile = new CustomerProfile(
            tenantId, tpid!, name!, country!, language!, segment!.Value, seats!.Value, licenses, usage!, claims);
        return (profile, []);
    }

    private static string? NotBlank(JsonFields fields, string name)
    {
        var value = fields.String(name);
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            fields.Problem(name, "Cannot be blank.");
        }

        return value;
    }

    private static CustomerLicenses ReadLicenses(JsonFields fields)
    {
        if (fields.Object("licenses") is not { } licenses)
        {
            return CustomerLicenses.None;
        }

        var paid = licenses.Int32("paidEligibleSeats");
        var unused = licenses.Int32("unusedEligibleSeats");
        if (paid < 0)
        {
            licenses.Problem("paidEligibleSeats", $"Cannot be negative ({paid}).");
        }

        if (unused < 0)
        {
            licenses.Problem("unusedEligibleSeats", $"Cannot be negative ({unused}).");
        }
        else if (unused > paid)
        {
            licenses.Problem("unusedEligibleSeats", $"{unused} unused seats is more than the {paid} paid for.");
        }

        return new CustomerLicenses(paid ?? 0, unused ?? 0);
    }

    private static List<CporClaim> ReadClaims(JsonFields fields)
    {
        var claims = new List<CporClaim>();
        foreach (var claim in fields.Objects("claims") ?? [])
        {
            var partnerId = claim.Id("partnerId");
            var workloads = claim.Enums<Workload>("workloads");
            if (workloads is { Count: 0 })
            {
                claim.Problem("workloads", "A claim covers at least one workload.");
            }

            if (partnerId is not null && claims.Any(earlier => earlier.PartnerId == partnerId))
            {
                claim.Problem("partnerId", $"Partner {partnerId} is claimed twice; list its workloads in one claim.");
            }

            claims.Add(new CporClaim(partnerId ?? string.Empty, workloads ?? new HashSet<Workload>()));
        }

        return claims;
    }
}

/// <summary>A customer as the API shows it, in the shape it was imported.</summary>
public sealed record CustomerView(
    string TenantId,
    string Tpid,
    string Name,
    string Country,
    string Language,
    Segment Segment,
    int Seats,
    CustomerLicenses Licenses,
    IReadOnlyDictionary<Workload, double> MonthlyActiveUsage,
    IReadOnlyList<CustomerView.Claim> Claims)
{
    public static CustomerView From(CustomerProfile customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return new(
            customer.TenantId, customer.Tpid, customer.Name, customer.Country, customer.Language, customer.Segment,
            customer.Seats, customer.Licenses, customer.MonthlyActiveUsage,
            [.. customer.Claims.Select(claim => new Claim(claim.PartnerId, [.. claim.Workloads.Order()]))]);
    }

    public sealed record Claim(string PartnerId, IReadOnlyList<Workload> Workloads);
}
