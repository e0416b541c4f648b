using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.Domain.Catalog;
using FastTrack.Core.Calendars;
using FastTrack.Core.Customers;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static FastTrack.DevHost.Tests.Operations.PartnersApiTests;

namespace FastTrack.DevHost.Tests.Operations;

[Collection(AzuriteGroup.Name)]
public sealed class CustomersAndCalendarsApiTests(AzuriteFixture azurite)
{
    private static JsonObject Customer() => new()
    {
        ["tpid"] = "12345",
        ["name"] = "Wide World Importers",
        ["country"] = "gb",
        ["language"] = "EN",
        ["segment"] = "Commercial",
        ["seats"] = 2500,
        ["licenses"] = new JsonObject { ["paidEligibleSeats"] = 2000, ["unusedEligibleSeats"] = 900 },
        ["monthlyActiveUsage"] = new JsonObject
        {
            ["ExchangeOnline"] = 0.45, ["SharePointOnline"] = 0.30, ["Teams"] = 0.80, ["M365Apps"] = 0.50,
        },
        ["claims"] = new JsonArray(new JsonObject { ["partnerId"] = "p1", ["workloads"] = new JsonArray("Teams", "Intune") }),
    };

    private static string NewTenantId() => Guid.NewGuid().ToString();

    [Fact]
    public async Task Putting_a_customer_is_201_then_200_and_the_store_serves_claims_and_voucher_figures()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var tenantId = NewTenantId();

        var created = await client.PutAsJsonAsync(Uri($"/api/customers/{tenantId}"), Customer());
        var replaced = await client.PutAsJsonAsync(Uri($"/api/customers/{tenantId}"), Customer());
        var customer = await client.GetFromJsonAsync<JsonElement>(Uri($"/api/customers/{tenantId}"));
        var stored = (await app.Services.GetRequiredService<CustomerStore>().GetAsync(tenantId))!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal("GB", customer.GetProperty("country").GetString());
        Assert.Equal("en", customer.GetProperty("language").GetString());
        Assert.Equal("Commercial", customer.GetProperty("segment").GetString());
        Assert.Equal(900, customer.GetProperty("licenses").GetProperty("unusedEligibleSeats").GetInt32());
        Assert.Equal(0.8, customer.GetProperty("monthlyActiveUsage").GetProperty("Teams").GetDouble());
        var claim = Assert.Single(customer.GetProperty("claims").EnumerateArray());
        Assert.Equal(["Teams", "Intune"], Strings(claim, "workloads"));
        Assert.Equal([Workload.Teams, Workload.Intune], stored.ClaimsByPartner()["p1"].Order());
        var voucher = stored.ToVoucherCustomer();
        Assert.Equal((2000, 900, 0.45), (voucher.PaidEligibleSeats, voucher.UnusedEligibleSeats, voucher.MonthlyActiveUsage[Workload.ExchangeOnline]));
    }

    [Fact]
    public async Task Of_two_imports_of_a_new_customer_at_once_exactly_one_creates_it()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var tenantId = NewTenantId();

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.PutAsJsonAsync(Uri($"/api/customers/{tenantId}"), Customer())));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], responses.Select(response => response.StatusCode).Order());
    }

    [Fact]
    public async Task A_bad_customer_is_400_listing_every_problem_and_stores_nothing()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var tenantId = NewTenantId();
        var customer = Customer();
        customer["seats"] = -5;
        customer["segment"] = "Enterprise";
        customer["licenses"] = new JsonObject { ["paidEligibleSeats"] = 100, ["unusedEligibleSeats"] = 200 };
        customer["monthlyActiveUsage"] = new JsonObject { ["Teams"] = 1.5, ["Yammer"] = 0.2 };
        customer["claims"] = new JsonArray(new JsonObject { ["partnerId"] = "p1", ["workloads"] = new JsonArray("Skype") });
        customer.Remove("tpid");

        var response = await client.PutAsJsonAsync(Uri($"/api/customers/{tenantId}"), customer);
        var lookup = await client.GetAsync(Uri($"/api/customers/{tenantId}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var fields = errors.EnumerateObject().Select(e => e.Name).Order().ToList();
        Assert.Equal(
            ["claims[0].workloads[0]", "licenses.unusedEligibleSeats", "monthlyActiveUsage.Teams", "monthlyActiveUsage.Yammer",
             "seats", "segment", "tpid"],
            fields);
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task A_calendar_round_trips_and_the_store_serves_it_by_country()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);

        var put = await client.PutAsJsonAsync(Uri("/api/calendars/nz"), new JsonObject { ["holidays"] = new JsonArray("2026-12-28", "2026-12-25") });
        var calendar = await client.GetFromJsonAsync<JsonElement>(Uri("/api/calendars/NZ"));
        var all = await app.Services.GetRequiredService<HolidayStore>().AllAsync();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("NZ", calendar.GetProperty("country").GetString());
        Assert.Equal(["2026-12-25", "2026-12-28"], Strings(calendar, "holidays"));
        Assert.Equal([new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 28)], all["NZ"].Order());
    }

    [Fact]
    public async Task A_calendar_with_bad_dates_or_a_bad_country_is_400_listing_them()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);

        var response = await client.PutAsJsonAsync(
            Uri("/api/calendars/XYZ"), new JsonObject { ["holidays"] = new JsonArray("2026-12-25", "25/12/2026", "2026-02-30") });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["country", "holidays[1]", "holidays[2]"], errors.EnumerateObject().Select(e => e.Name).Order().ToList());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Uri("/api/calendars/XY"))).StatusCode);
    }

    [Theory]
    [InlineData(FastTrackApp.IntakeKey)]
    [InlineData(FastTrackApp.OfferDeskKey)]
    public async Task Keys_of_other_roles_are_403_on_customers_and_calendars(string key)
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(key);

        var responses = new[]
        {
            await client.PutAsJsonAsync(Uri($"/api/customers/{NewTenantId()}"), Customer()),
            await client.GetAsync(Uri($"/api/customers/{NewTenantId()}")),
            await client.PutAsJsonAsync(Uri("/api/calendars/US"), new { holidays = Array.Empty<string>() }),
            await client.GetAsync(Uri("/api/calendars/US")),
        };

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode));
    }
}
