using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.Core.Health;
using FastTrack.Core.Links;
using FastTrack.Core.Referrals;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.DevHost.Tests.Privacy;
using FastTrack.DevHost.Tests.Referrals;
using FastTrack.DevHost.Tests.Vouchers;
using Microsoft.Extensions.DependencyInjection;
using FastTrack.Core.Durable;
using Microsoft.Extensions.Options;
using Xunit;
using Xunit.Abstractions;

namespace FastTrack.DevHost.Tests.BadInput;

/// <summary>
/// The bad-input corpus (<see cref="BadInputCorpus"/>) sent to the real app on its own Azurite, which holds a partner,
/// a referral offered to it, a voucher with a SOW under review, a holiday calendar and a completed personal data
/// request, so that each request meets real data. The storage is read whole before and after each route's requests.
/// </summary>
public sealed class BadInputCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_malformed_or_hostile_request_is_refused_with_a_4xx_in_its_routes_shape_and_stores_nothing()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var targets = await SetUpAsync(kit);
        var corpus = BadInputCorpus.Generate(BadInputCorpus.Seed, targets);
        output.WriteLine($"Seed {BadInputCorpus.Seed}: {corpus.Count} requests over {corpus.Select(r => r.Route).Distinct().Count()} routes");
        Assert.True(corpus.Count >= 300, $"The corpus has only {corpus.Count} requests.");

        using var client = kit.Referrals.App.CreateClient();
        var failures = new List<string>();
        // What the app writes by itself as time passes, whatever the requests: the heartbeat, the index backfill's
        // marker (its timer fires every five minutes), and the Durable task hub's partition leases.
        var hub = kit.Referrals.App.Services.GetRequiredService<IOptions<DurableOptions>>().Value.TaskHubName;
        string[] backgroundWrites =
        [
            $"table {Heartbeat.TableName}/", $"table {ReferralIndex.TableName}/{ReferralIndexBackfill.MarkerPartition}/",
            $"table {hub}Partitions/", $"blob {hub}-applease/", $"blob {hub}-leases/",
        ];
        var stored = await QuietStorageAsync(kit.Referrals.Storage, backgroundWrites);
        foreach (var route in corpus.GroupBy(request => request.Route))
        {
            foreach (var request in route)
            {
                using var message = request.ToMessage();
                using var response = await client.SendAsync(message);
                if (await WrongAnswerAsync(request, response) is { } wrong)
                {
                    failures.Add($"{wrong}\n    request: {request}");
                    output.WriteLine(failures[^1]);
                }
            }

            var after = await SnapshotAsync(kit.Referrals.Storage, backgroundWrites);
            var added = after.Except(stored).ToList();
            if (added.Count > 0)
            {
                failures.Add($"After the {route.Count()} requests to {route.Key}, storage holds {added.Count} new entries: " +
                             string.Join("; ", added.Take(5).Select(entry => entry.Length > 200 ? entry[..200] + "…" : entry)));
                output.WriteLine(failures[^1]);
            }

            stored = after;
        }

        Assert.True(
            failures.Count == 0,
            $"Seed {BadInputCorpus.Seed}: {failures.Count} wrong answers among {corpus.Count} requests:\n" + string.Join("\n", failures.Take(40)));
    }

    /// <summary>Why the answer is wrong for a refused request of its route, or null when it is right.</summary>
    private static async Task<string?> WrongAnswerAsync(HostileRequest request, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var body = await response.Content.ReadAsStringAsync();
        var answer = $"{status} {contentType ?? "(no content type)"} {(body.Length > 300 ? body[..300] + "…" : body)}";
        if (status >= 500)
        {
            return $"server error: {answer}";
        }

        if (request.MustRefuse && status < 400)
        {
            return $"carried out, not refused: {answer}";
        }

        if (status < 400)
        {
            return null;
        }

        if (!request.IsLinkRoute)
        {
            return contentType == "application/problem+json" && IsProblem(body) ? null : $"not problem details: {answer}";
        }

        if (!request.WantsJson)
        {
            return contentType == "text/html" ? null : $"not the link's HTML page: {answer}";
        }

        return contentType == "application/json" && IsLinkJson(body) ? null : $"not the link's JSON {{ outcome, message, referralStatus }}: {answer}";
    }

    private static bool IsProblem(string body) =>
        TryParse(body) is { ValueKind: JsonValueKind.Object } problem && problem.TryGetProperty("status", out _) && problem.TryGetProperty("title", out _);

    private static bool IsLinkJson(string body) =>
        TryParse(body) is { ValueKind: JsonValueKind.Object } link &&
        link.TryGetProperty("outcome", out _) && link.TryGetProperty("message", out _) && link.TryGetProperty("referralStatus", out _);

    private static JsonElement? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A referral offered to a partner, its voucher with a SOW under review, a calendar, a completed privacy request.</summary>
    private static async Task<CorpusTargets> SetUpAsync(RedemptionTestKit kit)
    {
        var voucher = await kit.IssueVoucherAsync("corpus");
        var respond = ReferralTestKit.LinkIn(await kit.Referrals.WaitForMailAsync($"{voucher.PartnerId}@partners.example", "New Standard referral"));
        var (status, receipt) = await kit.UploadAsync(voucher.Id, RedemptionTestKit.SowForm(BadInputCorpus.SowDocument));
        Assert.Equal(HttpStatusCode.Accepted, status);
        var referralId = (await kit.GetVoucherAsync(voucher.Id)).GetProperty("referralId").GetString()!;
        var operations = kit.Referrals.Operations;
        (await operations.PutAsJsonAsync(RedemptionTestKit.Relative("/api/calendars/US"), new JsonObject { ["holidays"] = new JsonArray("2026-12-25") })).EnsureSuccessStatusCode();
        var filed = await operations.PostAsJsonAsync(RedemptionTestKit.Relative("/api/privacy/requests"), new { kind = "Export", email = "corpus@example.com" });
        var privacyId = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Eventually.Returns(
            () => operations.GetFromJsonAsync<JsonElement>(RedemptionTestKit.Relative($"/api/privacy/requests/{privacyId}")),
            request => request.GetProperty("status").GetString() == "Completed");
        (await kit.Referrals.Anonymous.GetAsync(RedemptionTestKit.Relative("/api/health"))).EnsureSuccessStatusCode();

        var links = kit.Referrals.App.Services.GetRequiredService<PartnerLinks>();
        var now = DateTimeOffset.UtcNow;
        string Token(Uri link) => link.AbsolutePath[(link.AbsolutePath.LastIndexOf('/') + 1)..];
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 50));
        string[] signedHostile =
        [
            Token(links.Voucher("a/b", voucher.PartnerId, now)),
            Token(links.Voucher(emoji, voucher.PartnerId, now)),
            Token(links.Voucher(voucher.Id, "a#b?c", now)),
            Token(links.Voucher("..", voucher.PartnerId, now)),
            Token(links.Respond("a/b", "p1", 1, voucher.PartnerId, now.AddDays(1))),
            Token(links.Respond(referralId, "p1", 1, "a\\b", now.AddDays(1))),
            Token(links.Respond(referralId, "\u0001", 1, voucher.PartnerId, now.AddDays(1))),
            Token(links.Engagement(emoji, "p1", 1, voucher.PartnerId, now)),
        ];
        return new CorpusTargets(
            voucher.PartnerId, referralId, voucher.Id, receipt.GetProperty("redemptionId").GetString()!,
            respond[(respond.LastIndexOf('/') + 1)..], voucher.Token, signedHostile, now);
    }

    /// <summary>The storage once what the set-up started (emails, events, the privacy request) has settled.</summary>
    private static async Task<HashSet<string>> QuietStorageAsync(string account, string[] backgroundWrites)
    {
        var previous = await SnapshotAsync(account, backgroundWrites);
        var quiet = await Eventually.Returns(
            async () =>
            {
                await Task.Delay(500);
                var (before, now) = (previous, await SnapshotAsync(account, backgroundWrites));
                previous = now;
                return (Settled: before.SetEquals(now), Snapshot: now);
            },
            scan => scan.Settled);
        return quiet.Snapshot;
    }

    private static async Task<HashSet<string>> SnapshotAsync(string account, string[] backgroundWrites) =>
        [.. (await StorageScan.ReadAllAsync(account))
            .Where(text => !backgroundWrites.Any(prefix => text.Where.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .Select(text => $"{text.Where}: {text.Text}")];
}
