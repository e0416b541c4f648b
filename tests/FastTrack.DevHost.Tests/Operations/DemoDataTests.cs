using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Vouchers;
using FastTrack.Core.Calendars;
using FastTrack.Core.Customers;
using FastTrack.Core.Partners;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static FastTrack.DevHost.Tests.Operations.PartnersApiTests;

namespace FastTrack.DevHost.Tests.Operations;

/// <summary>The Development seed, each test on an Azurite of its own: the seed acts on an empty store only.</summary>
public sealed class DemoDataTests
{
    private static readonly Dictionary<string, string?> SeedOn = new() { ["DemoData:Enabled"] = "true" };

    [Fact]
    public async Task The_seed_fills_an_empty_store_once_and_a_restart_changes_nothing()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        List<string> firstIds;
        await using (var first = new FastTrackApp(azurite.ConnectionString, SeedOn))
        {
            var client = first.CreateClient(FastTrackApp.OperationsKey);
            firstIds = Ids(await client.GetFromJsonAsync<JsonElement>(Uri("/api/partners")));
            var edited = Profile();
            edited["name"] = "Edited by operations";
            await client.PutAsJsonAsync(Uri("/api/partners/contoso-us"), edited);
            await client.PutAsJsonAsync(Uri("/api/calendars/US"), new JsonObject { ["holidays"] = new JsonArray("2026-12-24") });
        }

        await using var second = new FastTrackApp(azurite.ConnectionString, SeedOn);
        var again = second.CreateClient(FastTrackApp.OperationsKey);
        var partners = await again.GetFromJsonAsync<JsonElement>(Uri("/api/partners"));
        var contoso = await again.GetFromJsonAsync<JsonElement>(Uri("/api/partners/contoso-us"));
        var holidays = await second.Services.GetRequiredService<HolidayStore>().GetAsync("US");

        Assert.InRange(firstIds.Count, 12, 20);
        Assert.Equal(firstIds, Ids(partners));
        Assert.Equal("Edited by operations", contoso.GetProperty("name").GetString());
        Assert.Equal([new DateOnly(2026, 12, 24)], holidays!);
    }

    [Fact]
    public async Task The_seed_leaves_a_store_that_already_has_partners_alone()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        await using (var seedOff = new FastTrackApp(azurite.ConnectionString))
        {
            await seedOff.CreateClient(FastTrackApp.OperationsKey).PutAsJsonAsync(Uri("/api/partners/only-one"), Profile());
        }

        await using var app = new FastTrackApp(azurite.ConnectionString, SeedOn);
        var partners = await app.CreateClient(FastTrackApp.OperationsKey).GetFromJsonAsync<JsonElement>(Uri("/api/partners"));

        Assert.Equal(["only-one"], Ids(partners));
        Assert.Empty(await app.Services.GetRequiredService<HolidayStore>().AllAsync());
    }

    [Fact]
    public async Task The_demo_data_serves_typical_split_Benefit_and_voucher_scenarios()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        await using var app = new FastTrackApp(azurite.ConnectionString, SeedOn);
        var partners = await app.Services.GetRequiredService<PartnerStore>().ListAsync();
        var customers = app.Services.GetRequiredService<CustomerStore>();
        var now = DateTimeOffset.UtcNow;
        var directory = new PartnerDirectory(partners);
        MatchResult Match(ReferralType type, int seats, params Workload[] workloads) => Matcher.Match(
            directory,
            new MatchRequest(
                new Customer("t", "1", "Customer", "US", "en", Segment.Commercial, seats), type, workloads.ToHashSet(),
                new Dictionary<string, IReadOnlySet<Workload>>()),
            now);

        var standard = Match(ReferralType.Standard, 2000, Workload.ExchangeOnline, Workload.Teams);
        var benefit = Match(ReferralType.Benefit, 2000, Workload.ExchangeOnline, Workload.Teams);
        var split = Match(ReferralType.Standard, 3000, Workload.Intune, Workload.VivaInsights);
        Assert.Single(standard.Parts);
        Assert.True(Assert.Single(benefit.Parts).Partner.Frp);
        Assert.Equal(2, split.Parts.Count);
        Assert.Empty(split.UnmatchedWorkloads);
        var wideWorld = (await customers.GetAsync("2f1c6a8e-5b7d-4c1a-9e3f-0a6b8c2d4e10"))!;
        var contoso = partners.Single(p => p.Id == "contoso-us");
        Assert.Empty(VoucherEligibility.Check(new Nomination(wideWorld.ToVoucherCustomer(), contoso, now, false), now));
        var margies = (await customers.GetAsync("7a9d3b2c-1e4f-4a6b-8c0d-2e5f7a9b1c32"))!;
        Assert.Contains("fabrikam-us", margies.ClaimsByPartner().Keys);
        Assert.All(partners, partner => Assert.Empty(partner.Problems()));
    }

    [Fact]
    public async Task Outside_Development_there_is_no_seed()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        await using var app = new FastTrackApp(azurite.ConnectionString, SeedOn);
        await using var production = app.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));
        var client = production.CreateClient();
        client.DefaultRequestHeaders.Add("x-functions-key", FastTrackApp.OperationsKey);

        var response = await client.GetAsync(Uri("/api/partners"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
    }

    private static List<string> Ids(JsonElement partners) =>
        partners.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
}
