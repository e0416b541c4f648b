using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FastTrack.DevHost.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Hosting;

[Collection(AzuriteGroup.Name)]
public sealed class AppHostingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_is_200_when_tables_blobs_and_queues_all_answer()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);

        var response = await app.CreateClient().GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        foreach (var service in new[] { "tables", "blobs", "queues" })
        {
            Assert.Equal("Healthy", body.GetProperty("checks").GetProperty(service).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Health_is_503_and_names_every_service_when_storage_is_unreachable()
    {
        var nowhere = AzuriteInstance.ConnectionStringFor(1, 2, 3);
        await using var app = new FastTrackApp(nowhere, new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" });

        var response = await app.CreateClient().GetAsync(new Uri("/api/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        foreach (var service in new[] { "tables", "blobs", "queues" })
        {
            var check = body.GetProperty("checks").GetProperty(service);
            Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(check.GetProperty("error").GetString()));
        }
    }

    [Fact]
    public async Task A_request_without_a_key_is_401_with_problem_details()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);

        var response = await app.CreateClient().GetAsync(new Uri("/api/partners", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_key_is_401()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);

        var response = await app.CreateClient("not-a-key").GetAsync(new Uri("/api/partners", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(FastTrackApp.IntakeKey)]
    [InlineData(FastTrackApp.OfferDeskKey)]
    public async Task A_key_of_another_role_is_403_with_problem_details(string key)
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);

        var response = await app.CreateClient(key).GetAsync(new Uri("/api/partners", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_dev_clock_moves_forward_and_refuses_to_move_back()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient();

        var before = DateTimeOffset.UtcNow;
        var moved = await client.PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { advance = "PT49H" });
        var back = await client.PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { now = before });

        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var now = (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("now").GetDateTimeOffset();
        Assert.InRange(now - before, TimeSpan.FromHours(49), TimeSpan.FromHours(49.1));
        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);
    }

    [Fact]
    public async Task Dev_routes_are_404_outside_Development()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString);
        await using var production = app.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));

        var response = await production.CreateClient()
            .PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { advance = "PT1H" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
