using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.Core.Partners;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.DevHost.Tests.Operations;

[Collection(AzuriteGroup.Name)]
public sealed class PartnersApiTests(AzuriteFixture azurite)
{
    /// <summary>A valid profile in API.md's shape; tests change one field at a time.</summary>
    internal static JsonObject Profile() => new()
    {
        ["name"] = "Contoso Consulting",
        ["fpc"] = true,
        ["frp"] = true,
        ["referralReady"] = true,
        ["benefitReferrals"] = true,
        ["homeCountry"] = "us",
        ["countries"] = new JsonArray("ca"),
        ["languages"] = new JsonArray("EN", "es"),
        ["industries"] = new JsonArray("Education"),
        ["minSeats"] = 150,
        ["maxSeats"] = 100000,
        ["endorsements"] = new JsonArray("Teams", "ExchangeOnline"),
        ["referralContact"] = "referrals@contoso.example.com",
        ["timeZone"] = "America/New_York",
        ["fpmEmail"] = "fpm@example.com",
    };

    internal static string NewPartnerId() => $"p-{Guid.NewGuid():N}";

    [Fact]
    public async Task Putting_a_new_partner_is_201_then_200_and_GET_returns_it_normalised()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var id = NewPartnerId();

        var created = await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());
        var replaced = await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());
        var partner = await client.GetFromJsonAsync<JsonElement>(Uri($"/api/partners/{id}"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/partners/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(id, partner.GetProperty("id").GetString());
        Assert.Equal("US", partner.GetProperty("homeCountry").GetString());
        Assert.Equal(["CA"], Strings(partner, "countries"));
        Assert.Equal(["en", "es"], Strings(partner, "languages"));
        Assert.Equal(["Education"], Strings(partner, "industries"));
        Assert.Equal(["ExchangeOnline", "Teams"], Strings(partner, "endorsements"));
        Assert.Equal(150, partner.GetProperty("minSeats").GetInt32());
        Assert.Equal("America/New_York", partner.GetProperty("timeZone").GetString());
        Assert.Equal(JsonValueKind.Null, partner.GetProperty("lastAssignedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, partner.GetProperty("pausedUntil").ValueKind);
        Assert.False(partner.GetProperty("capacityDeclineUsed").GetBoolean());
        Assert.Equal(
            (await created.Content.ReadFromJsonAsync<JsonElement>()).GetRawText(),
            (await replaced.Content.ReadFromJsonAsync<JsonElement>()).GetRawText());
    }

    [Fact]
    public async Task Of_two_imports_of_a_new_partner_at_once_exactly_one_creates_it()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var id = NewPartnerId();

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile())));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], responses.Select(response => response.StatusCode).Order());
    }

    [Fact]
    public async Task A_replaced_profile_changes_the_profile_fields()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var id = NewPartnerId();
        await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());
        var changed = Profile();
        changed["maxSeats"] = 5000;
        changed["endorsements"] = new JsonArray("Intune");

        await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), changed);
        var partner = await client.GetFromJsonAsync<JsonElement>(Uri($"/api/partners/{id}"));

        Assert.Equal(5000, partner.GetProperty("maxSeats").GetInt32());
        Assert.Equal(["Intune"], Strings(partner, "endorsements"));
    }

    [Fact]
    public async Task A_bad_profile_is_400_listing_every_problem_and_stores_nothing()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var id = NewPartnerId();
        var profile = Profile();
        profile.Remove("name");
        profile["fpc"] = "yes";
        profile["endorsements"] = new JsonArray("Teams", "Exchange");
        profile["industries"] = new JsonArray("Schools");
        profile["timeZone"] = "Mars/Olympus_Mons";
        profile["frp"] = false;

        var response = await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), profile);
        var lookup = await client.GetAsync(Uri($"/api/partners/{id}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("fpc", out _));
        Assert.Contains("Exchange", errors.GetProperty("endorsements[1]")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("industries[0]", out _));
        var problems = Strings(errors, "profile");
        Assert.Contains(problems, p => p!.Contains("Mars/Olympus_Mons", StringComparison.Ordinal));
        Assert.Contains(problems, p => p!.Contains("Benefit referrals", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task An_unknown_partner_is_404_with_problem_details()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);

        var get = await client.GetAsync(Uri($"/api/partners/{NewPartnerId()}"));
        var pause = await client.PostAsJsonAsync(
            Uri($"/api/partners/{NewPartnerId()}/pause"), new { until = DateTimeOffset.UtcNow.AddDays(1) });

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("application/problem+json", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, pause.StatusCode);
    }

    [Fact]
    public async Task The_list_holds_every_stored_partner()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var ids = new[] { NewPartnerId(), NewPartnerId() };
        foreach (var id in ids)
        {
            await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());
        }

        var listed = (await AllPagesAsync(client, pageSize: 100)).Select(p => p.GetProperty("id").GetString()).ToList();

        Assert.All(ids, id => Assert.Contains(id, listed));
    }

    [Fact]
    public async Task Paging_through_the_partners_one_at_a_time_lists_each_once_in_id_order_and_the_last_page_has_no_token()
    {
        // A store of its own, so that the count is known.
        await using var own = await AzuriteInstance.StartAsync();
        await using var app = new FastTrackApp(own.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var ids = Enumerable.Range(0, 5).Select(_ => NewPartnerId()).ToList();
        foreach (var id in ids)
        {
            await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());
        }

        var listed = (await AllPagesAsync(client, pageSize: 2)).Select(p => p.GetProperty("id").GetString()!).ToList();

        Assert.Equal(ids.Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task A_bad_page_size_and_a_forged_token_are_one_400_naming_both()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);

        var response = await client.GetAsync(Uri("/api/partners?pageSize=101&continuationToken=not%2Fbase64"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty("pageSize", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("continuationToken", out _));
    }

    /// <summary>Every page of <c>GET /api/partners</c>, following the tokens to the end.</summary>
    internal static async Task<List<JsonElement>> AllPagesAsync(HttpClient client, int pageSize)
    {
        var all = new List<JsonElement>();
        string? token = null;
        for (var pages = 0; pages < 1000; pages++)
        {
            var query = token is null ? $"?pageSize={pageSize}" : $"?pageSize={pageSize}&continuationToken={token}";
            var page = await client.GetFromJsonAsync<JsonElement>(Uri("/api/partners" + query));
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 0, pageSize);
            all.AddRange(items);
            if (page.GetProperty("continuationToken").ValueKind == JsonValueKind.Null)
            {
                return all;
            }

            token = page.GetProperty("continuationToken").GetString();
        }

        throw new InvalidOperationException("The partner list did not end.");
    }

    [Fact]
    public async Task Pausing_up_to_30_days_ahead_is_200_and_shows_on_the_partner()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var id = NewPartnerId();
        await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());
        var until = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(29);

        var response = await client.PostAsJsonAsync(Uri($"/api/partners/{id}/pause"), new { until });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var partner = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(until, partner.GetProperty("pausedUntil").GetDateTimeOffset());
    }

    [Theory]
    [InlineData(31)]
    [InlineData(-1)]
    public async Task Pausing_more_than_30_days_ahead_or_into_the_past_is_400(int days)
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var id = NewPartnerId();
        await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());
        var until = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(days);

        var response = await client.PostAsJsonAsync(Uri($"/api/partners/{id}/pause"), new { until });
        var partner = await client.GetFromJsonAsync<JsonElement>(Uri($"/api/partners/{id}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("until", out _));
        Assert.Equal(JsonValueKind.Null, partner.GetProperty("pausedUntil").ValueKind);
    }

    [Fact]
    public async Task Reimporting_a_profile_keeps_the_matching_state()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);
        var store = app.Services.GetRequiredService<PartnerStore>();
        var id = NewPartnerId();
        await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());
        var assignedAt = new DateTimeOffset(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);
        var until = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().AddDays(10);
        await store.RecordAssignedAsync(id, assignedAt);
        await store.RecordCapacityDeclineUsedAsync(id);
        await client.PostAsJsonAsync(Uri($"/api/partners/{id}/pause"), new { until });

        var response = await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var partner = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(assignedAt, partner.GetProperty("lastAssignedAt").GetDateTimeOffset());
        Assert.Equal(until, partner.GetProperty("pausedUntil").GetDateTimeOffset());
        Assert.True(partner.GetProperty("capacityDeclineUsed").GetBoolean());
    }

    [Fact]
    public async Task Recording_an_earlier_assignment_never_moves_lastAssignedAt_back()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var store = app.Services.GetRequiredService<PartnerStore>();
        var id = NewPartnerId();
        await app.CreateClient(FastTrackApp.OperationsKey).PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());
        var later = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

        await store.RecordAssignedAsync(id, later);
        await store.RecordAssignedAsync(id, later.AddHours(-5));

        Assert.Equal(later, (await store.GetAsync(id))!.LastAssignedAt);
    }

    [Fact]
    public async Task Concurrent_assignments_leave_the_latest_time_whatever_order_they_finish_in()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var store = app.Services.GetRequiredService<PartnerStore>();
        var id = NewPartnerId();
        await app.CreateClient(FastTrackApp.OperationsKey).PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile());
        var start = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
        var times = Enumerable.Range(0, 8).Select(i => start.AddMinutes(i)).Reverse().ToList();

        await Task.WhenAll(times.Select(at => Task.Run(() => store.RecordAssignedAsync(id, at))));

        Assert.Equal(times.Max(), (await store.GetAsync(id))!.LastAssignedAt);
    }

    [Theory]
    [InlineData(FastTrackApp.IntakeKey)]
    [InlineData(FastTrackApp.OfferDeskKey)]
    public async Task Keys_of_other_roles_are_403_on_operations_data(string key)
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(key);
        var id = NewPartnerId();

        var responses = new[]
        {
            await client.PutAsJsonAsync(Uri($"/api/partners/{id}"), Profile()),
            await client.GetAsync(Uri($"/api/partners/{id}")),
            await client.GetAsync(Uri("/api/partners")),
            await client.PostAsJsonAsync(Uri($"/api/partners/{id}/pause"), new { until = DateTimeOffset.UtcNow }),
        };

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode));
        Assert.Null(await app.Services.GetRequiredService<PartnerStore>().GetAsync(id));
    }

    internal static Uri Uri(string path) => new(path, UriKind.Relative);

    internal static List<string?> Strings(JsonElement json, string property) =>
        json.GetProperty(property).EnumerateArray().Select(item => item.GetString()).ToList();
}
