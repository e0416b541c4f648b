using System.Text.Json.Nodes;

namespace FastTrack.Testing;

/// <summary>API.md request bodies that the tests and the workflow benchmark send; callers change what they need.</summary>
public static class SampleRequests
{
    /// <summary>A partner who takes any Standard or Benefit referral in the US in English, for five workloads.</summary>
    public static JsonObject Partner(string id) => new()
    {
        ["name"] = $"Partner {id}",
        ["fpc"] = true,
        ["frp"] = true,
        ["referralReady"] = true,
        ["benefitReferrals"] = true,
        ["homeCountry"] = "US",
        ["countries"] = new JsonArray("US"),
        ["languages"] = new JsonArray("en"),
        ["industries"] = new JsonArray(),
        ["minSeats"] = 1,
        ["maxSeats"] = 1_000_000,
        ["endorsements"] = new JsonArray("ExchangeOnline", "SharePointOnline", "Teams", "M365Apps", "Intune"),
        ["referralContact"] = $"{id}@partners.example",
        ["timeZone"] = "America/New_York",
        ["fpmEmail"] = "fpm@microsoft.example",
    };

    /// <summary>A Standard RFA for a US, English, 2,000-seat Commercial customer; Teams unless workloads are given.</summary>
    public static JsonObject Rfa(string submissionId, params string[] workloads) => new()
    {
        ["submissionId"] = submissionId,
        ["type"] = "Standard",
        ["requestor"] = new JsonObject { ["name"] = "Sam Seller", ["email"] = "sam@microsoft.example", ["isMicrosoft"] = true },
        ["customer"] = new JsonObject
        {
            ["tenantId"] = "tenant-" + submissionId,
            ["tpid"] = "tpid-" + submissionId,
            ["name"] = "Contoso",
            ["country"] = "US",
            ["language"] = "en",
            ["segment"] = "Commercial",
            ["seats"] = 2000,
        },
        ["workloads"] = new JsonArray(workloads.Length > 0 ? [.. workloads.Select(w => (JsonNode?)w)] : ["Teams"]),
        ["contact"] = new JsonObject { ["name"] = "Casey Customer", ["email"] = "casey@contoso.example", ["phone"] = "+1 555 0100" },
        ["notes"] = "Wants help with adoption.",
    };

    /// <summary>
    /// A customer profile eligible for a tier 1 voucher: Commercial, 2,000 paid eligible seats of which 900 unused, and
    /// usage below 60% on Exchange Online and Teams only.
    /// </summary>
    public static JsonObject Customer(string tpid) => new()
    {
        ["tpid"] = tpid,
        ["name"] = "Contoso",
        ["country"] = "US",
        ["language"] = "en",
        ["segment"] = "Commercial",
        ["seats"] = 2000,
        ["licenses"] = new JsonObject { ["paidEligibleSeats"] = 2000, ["unusedEligibleSeats"] = 900 },
        ["monthlyActiveUsage"] = new JsonObject
        {
            ["ExchangeOnline"] = 0.30,
            ["Teams"] = 0.59,
            ["SharePointOnline"] = 0.60,
            ["M365Apps"] = 0.90,
        },
    };
}
