using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.Domain;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.DevHost.Tests.Vouchers;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Hosting;

/// <summary>Every id from outside that would become a storage key keeps the id rule, or the request is 400 naming it.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class IdRuleApiTests(AzuriteFixture azurite)
{
    private const string Hostile = "a#b?c";
    private const string InPath = "a%23b%3Fc";

    public static TheoryData<string, string, string, string?, string> Requests()
    {
        var rfaTenant = SampleRequests.Rfa("id-rule-1");
        rfaTenant["customer"]!["tenantId"] = "a/b";
        var rfaSubmission = SampleRequests.Rfa(string.Concat(Enumerable.Repeat("\U0001F600", 50)));
        var customerClaim = SampleRequests.Customer("tpid-id-rule");
        customerClaim["claims"] = new JsonArray(new JsonObject { ["partnerId"] = Hostile, ["workloads"] = new JsonArray("Teams") });
        var partner = SampleRequests.Partner("p").ToJsonString();
        var customer = SampleRequests.Customer("tpid-id-rule").ToJsonString();
        const string pause = "{\"until\":\"2099-01-01T00:00:00Z\"}";
        const string reject = "{\"approve\":false,\"reason\":\"r\"}";
        const string ops = FastTrackApp.OperationsKey;
        return new()
        {
            { "PUT", $"/api/partners/{InPath}", ops, partner, "partnerId" },
            { "GET", $"/api/partners/{InPath}", ops, null, "partnerId" },
            { "POST", $"/api/partners/{InPath}/pause", ops, pause, "partnerId" },
            { "PUT", $"/api/customers/{InPath}", ops, customer, "tenantId" },
            { "GET", $"/api/customers/{InPath}", ops, null, "tenantId" },
            { "PUT", "/api/customers/tenant-id-rule", ops, customerClaim.ToJsonString(), "claims[0].partnerId" },
            { "PUT", $"/api/calendars/{InPath}", ops, "{\"holidays\":[\"2026-12-25\"]}", "country" },
            { "GET", $"/api/calendars/{InPath}", ops, null, "country" },
            { "POST", "/api/referrals", FastTrackApp.IntakeKey, rfaTenant.ToJsonString(), "customer.tenantId" },
            { "POST", "/api/referrals", FastTrackApp.IntakeKey, rfaSubmission.ToJsonString(), "submissionId" },
            { "GET", $"/api/referrals/{InPath}", ops, null, "id" },
            { "POST", "/api/vouchers", ops, "{\"referralId\":\"a/b\",\"partnerId\":\"p1\"}", "referralId" },
            { "POST", "/api/vouchers", ops, $"{{\"referralId\":\"r1\",\"partnerId\":\"{Hostile}\"}}", "partnerId" },
            { "GET", $"/api/vouchers/{InPath}", ops, null, "id" },
            { "POST", $"/api/vouchers/{InPath}/redemptions/r1/decision", FastTrackApp.OfferDeskKey, reject, "id" },
            { "POST", $"/api/vouchers/CSO-1/redemptions/{InPath}/decision", FastTrackApp.OfferDeskKey, reject, "redemptionId" },
            { "GET", $"/api/privacy/requests/{InPath}", ops, null, "id" },
        };
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task An_id_that_breaks_the_id_rule_is_400_naming_its_field(string method, string path, string key, string? json, string field)
    {
        await using var app = new FastTrackApp(azurite.ConnectionString, new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" });
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        request.Headers.Add("x-functions-key", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([IdRule.Description], errors.GetProperty(field).EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task An_upload_to_a_voucher_id_that_breaks_the_id_rule_is_400_naming_it()
    {
        await using var app = new FastTrackApp(azurite.ConnectionString, new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/vouchers/{InPath}/redemptions", UriKind.Relative))
        {
            Content = RedemptionTestKit.SowForm(RedemptionTestKit.Pdf("to a hostile id")),
        };
        request.Headers.Add("x-functions-key", FastTrackApp.OfferDeskKey);

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal([IdRule.Description], errors.GetProperty("id").EnumerateArray().Select(e => e.GetString()));
    }
}
