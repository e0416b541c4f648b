using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FastTrack.Core.Mail;
using FastTrack.Core.Referrals;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Referrals;

/// <summary>
/// <c>GET /api/referrals</c> (API.md): every filter, paging to the end, bad parameters, and the index behind it after
/// the crashes its write order allows (a transition committed and its old entry left behind, an intent written and its
/// transition never committed).
/// </summary>
public sealed class ReferralListTests
{
    [Fact]
    public async Task Every_filter_lists_the_referrals_their_state_says_newest_first_and_paging_reaches_the_end_once_each()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        await kit.PutPartnerAsync("alpha", partner => partner["endorsements"] = new JsonArray("Teams"));
        await kit.PutPartnerAsync("bravo", partner => partner["endorsements"] = new JsonArray("Intune"));
        var ids = new List<string>();
        foreach (var (n, workload) in new[] { (1, "Teams"), (2, "Teams"), (3, "Teams"), (4, "Intune"), (5, "Intune") })
        {
            ids.Add(await kit.SubmitAsync(Rfa($"list-{n}", workload)));
        }

        var accepted = await kit.ActAsync(ReferralTestKit.LinkIn(await kit.WaitForMailAsync("alpha@partners.example", "List 1")), "accept");
        Assert.Equal("Accepted", accepted.Outcome.GetProperty("outcome").GetString());
        var created = (await ListAsync(kit, "")).GetProperty("items").EnumerateArray()
            .ToDictionary(item => item.GetProperty("id").GetString()!, item => item.GetProperty("createdAt").GetDateTimeOffset());
        var newestFirst = Enumerable.Reverse(ids).ToList();

        Assert.Equal(newestFirst, await IdsAsync(kit, ""));
        Assert.Equal([ids[0]], await IdsAsync(kit, "?status=Active"));
        Assert.Equal(newestFirst.Except([ids[0]]), await IdsAsync(kit, "?status=Offered"));
        Assert.Empty(await IdsAsync(kit, "?status=completed"));
        Assert.Equal([ids[2], ids[1], ids[0]], await IdsAsync(kit, "?partnerId=alpha"));
        Assert.Equal([ids[4], ids[3]], await IdsAsync(kit, "?partnerId=bravo&status=Offered"));
        Assert.Empty(await IdsAsync(kit, "?partnerId=charlie"));
        Assert.Empty(await IdsAsync(kit, "?overdue=true"));
        Assert.Equal(newestFirst, await IdsAsync(kit, "?overdue=false"));
        Assert.Equal([ids[3], ids[2]], await IdsAsync(kit, $"?createdFrom={Q(created[ids[2]])}&createdTo={Q(created[ids[4]])}"));
        Assert.Equal([ids[1], ids[0]], await IdsAsync(kit, $"?partnerId=alpha&createdTo={Q(created[ids[2]])}"));
        Assert.Empty(await IdsAsync(kit, "?createdFrom=2099-01-01"));

        var item = (await ListAsync(kit, "?status=Active")).GetProperty("items")[0];
        Assert.Equal(
            ["id", "type", "status", "customer", "createdAt", "parts"], item.EnumerateObject().Select(p => p.Name));
        Assert.Equal("""{"name":"List 1","country":"US"}""", item.GetProperty("customer").GetRawText());
        var part = item.GetProperty("parts")[0];
        Assert.Equal(("p1", "alpha", "Active"), (part.GetProperty("id").GetString(), part.GetProperty("partnerId").GetString(), part.GetProperty("status").GetString()));

        foreach (var (query, expected) in new[] { ("", newestFirst), ("&status=Offered", newestFirst.Except([ids[0]]).ToList()) })
        {
            var (paged, pages) = await AllPagesAsync(kit, "?pageSize=2" + query);
            Assert.Equal(expected, paged);
            Assert.Equal((expected.Count + 1) / 2, pages);
        }
    }

    [Fact]
    public async Task Matching_lists_the_referrals_whose_first_step_has_not_come_and_no_other()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        await kit.PutPartnerAsync("alpha");
        var offered = await kit.SubmitAsync(Rfa("matching-1", "Teams"));
        await kit.WaitForMailAsync("alpha@partners.example", "List matching-1");

        // What an intake leaves for a workflow that has not stepped (here: none was scheduled).
        var waiting = Guid.NewGuid().ToString("N");
        var customer = new Customer("tenant-" + waiting, "tpid-" + waiting, "List waiting", "US", "en", Segment.Commercial, 2000);
        var request = new MatchRequest(customer, ReferralType.Standard, new HashSet<Workload> { Workload.Teams }, new Dictionary<string, IReadOnlySet<Workload>>());
        var submission = new ReferralSubmission(
            "matching-2", new Requestor("Sam Seller", "sam@microsoft.example", true), new CustomerContact("Casey", "casey@contoso.example", null),
            null, null, DateTimeOffset.UtcNow);
        await kit.App.Services.GetRequiredService<ReferralIndex>().AddReceivedAsync(waiting, submission.ReceivedAt, CancellationToken.None);
        Assert.True(await kit.App.Services.GetRequiredService<ReferralStore>().CreateAsync(
            waiting, submission, Referral.Received(waiting, request), CancellationToken.None));

        Assert.Equal([waiting], await IdsAsync(kit, "?status=Matching"));
        Assert.Equal([waiting, offered], await IdsAsync(kit, ""));
        Assert.Equal([offered], await IdsAsync(kit, "?status=Offered"));
        Assert.Empty(await kit.RowsAsync(ReferralIndex.TableName, "PartitionKey eq 'status-Matching'"));
    }

    [Fact]
    public async Task Overdue_lists_the_referrals_with_an_offer_past_its_deadline()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var kit = await ReferralTestKit.StartOnTestHostAsync(clock);
        await kit.PutPartnerAsync("alpha");
        var late = await kit.SubmitAsync(Rfa("overdue-1", "Teams"));

        // The fake clock stands still unless moved: two RFAs at one instant would list in id order.
        clock.Advance(TimeSpan.FromSeconds(1));
        var answered = await kit.SubmitAsync(Rfa("overdue-2", "Teams"));
        await kit.ActAsync(ReferralTestKit.LinkIn(await kit.WaitForMailAsync("alpha@partners.example", "List overdue-2")), "accept");
        Assert.Empty(await IdsAsync(kit, "?overdue=true"));

        // Durable timers run on real time, and this workflow does not follow the app's clock: nothing times out.
        clock.Advance(TimeSpan.FromDays(5));

        Assert.Equal([late], await IdsAsync(kit, "?overdue=true"));
        Assert.Equal([late], await IdsAsync(kit, "?overdue=true&status=Offered&partnerId=alpha"));
        Assert.Empty(await IdsAsync(kit, "?overdue=true&status=Active"));
        Assert.Equal([answered, late], await IdsAsync(kit, "?partnerId=alpha"));
    }

    [Fact]
    public async Task Unknown_filter_values_a_bad_page_size_and_a_forged_token_are_one_400_naming_every_problem()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        await using var app = new FastTrackApp(azurite.ConnectionString);
        var client = app.CreateClient(FastTrackApp.OperationsKey);

        var response = await client.GetAsync(new Uri(
            "/api/referrals?status=Bogus&partnerId=a%23b&overdue=maybe&createdFrom=yesterday&createdTo=2026-13-01&pageSize=101&continuationToken=Zm9v&colour=red",
            UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reversed = await client.GetAsync(new Uri("/api/referrals?createdFrom=2026-12-02&createdTo=2026-12-01", UriKind.Relative));
        var zero = await client.GetAsync(new Uri("/api/referrals?pageSize=0", UriKind.Relative));
        var twice = await client.GetAsync(new Uri("/api/referrals?status=Active&status=Offered", UriKind.Relative));
        var intake = await app.CreateClient(FastTrackApp.IntakeKey).GetAsync(new Uri("/api/referrals", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            ["colour", "continuationToken", "createdFrom", "createdTo", "overdue", "pageSize", "partnerId", "status"],
            problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            [HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.Forbidden],
            [reversed.StatusCode, zero.StatusCode, twice.StatusCode, intake.StatusCode]);
    }

    [Fact]
    public async Task After_a_crash_the_index_entries_left_behind_do_not_change_what_the_list_shows_and_are_removed()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        await kit.PutPartnerAsync("alpha");
        var id = await kit.SubmitAsync(Rfa("crash-1", "Teams"));
        var other = await kit.SubmitAsync(Rfa("crash-2", "Teams"));
        await kit.ActAsync(ReferralTestKit.LinkIn(await kit.WaitForMailAsync("alpha@partners.example", "List crash-1")), "accept");
        var index = new TableClient(kit.Storage, ReferralIndex.TableName);
        var rowKey = (await kit.RowsAsync(ReferralIndex.TableName, $"PartitionKey eq 'created' and ReferralId eq '{id}'")).Single().RowKey;
        var version = (await kit.RowsAsync(ReferralStore.TableName, $"PartitionKey eq '{id}' and RowKey eq 'state'")).Single().GetInt32("Version")!.Value;

        // The transition committed and the crash came before its old entry was removed.
        await index.UpsertEntityAsync(new TableEntity("status-Offered", rowKey) { ["ReferralId"] = id, ["Version"] = version - 1 });

        // An intent written for a transition that never committed (the process died between the two writes).
        await index.UpsertEntityAsync(new TableEntity("status-Completed", rowKey) { ["ReferralId"] = id, ["Version"] = version + 1 });

        Assert.Equal([other], await IdsAsync(kit, "?status=Offered"));
        Assert.Empty(await IdsAsync(kit, "?status=Completed"));
        Assert.Empty(await kit.RowsAsync(ReferralIndex.TableName, $"PartitionKey eq 'status-Offered' and ReferralId eq '{id}'"));
        Assert.Single(await kit.RowsAsync(ReferralIndex.TableName, $"PartitionKey eq 'status-Completed' and ReferralId eq '{id}'"));
        Assert.Equal([other, id], await IdsAsync(kit, "?partnerId=alpha"));
    }

    private static JsonObject Rfa(string name, string workload)
    {
        var rfa = SampleRequests.Rfa(name, workload);
        rfa["customer"]!["name"] = "List " + name.Replace("list-", "", StringComparison.Ordinal);
        return rfa;
    }

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("O"));

    private static async Task<JsonElement> ListAsync(ReferralTestKit kit, string query)
    {
        var response = await kit.Operations.GetAsync(new Uri("/api/referrals" + query, UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The ids of every page of <c>GET /api/referrals{query}</c>, following the tokens to the end.</summary>
    internal static async Task<List<string>> IdsAsync(ReferralTestKit kit, string query)
    {
        var (ids, _) = await AllPagesAsync(kit, query);
        return ids;
    }

    /// <summary>Every page, following the tokens to the end: the ids in order, and how many pages it took.</summary>
    private static async Task<(List<string> Ids, int Pages)> AllPagesAsync(ReferralTestKit kit, string query)
    {
        var ids = new List<string>();
        string? token = null;
        for (var pages = 1; pages < 100; pages++)
        {
            var separator = query.Length == 0 ? "?" : "&";
            var page = await ListAsync(kit, token is null ? query : $"{query}{separator}continuationToken={token}");
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetString()!));
            if (page.GetProperty("continuationToken").ValueKind == JsonValueKind.Null)
            {
                return (ids, pages);
            }

            token = page.GetProperty("continuationToken").GetString();
        }

        throw new InvalidOperationException("The list did not end.");
    }
}
