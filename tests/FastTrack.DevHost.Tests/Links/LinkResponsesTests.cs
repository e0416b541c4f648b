using System.Text.Json;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Links;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FastTrack.DevHost.Tests.Links;

public sealed class LinkResponsesTests
{
    [Theory]
    [InlineData("application/json", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false)]
    [InlineData("text/html;q=0.5, application/json", true)]
    [InlineData("text/html, application/json;q=0.5", false)]
    [InlineData("*/*", false)]
    [InlineData("", false)]
    public void Json_is_answered_only_to_callers_that_prefer_it(string accept, bool json)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Accept = accept;

        Assert.Equal(json, LinkResponses.WantsJson(context.Request));
    }

    [Fact]
    public async Task A_JSON_caller_gets_outcome_message_and_referral_status_with_the_mapped_status()
    {
        var (status, headers, body) = await Execute("application/json", LinkResult.ForDecision(DecisionOutcome.Refused, "Partners are Microsoft FastTrack representatives.", ReferralStatus.Offered));

        Assert.Equal(409, status);
        Assert.StartsWith("application/json", headers.ContentType.ToString(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Refused", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal("Partners are Microsoft FastTrack representatives.", json.RootElement.GetProperty("message").GetString());
        Assert.Equal("Offered", json.RootElement.GetProperty("referralStatus").GetString());
    }

    [Fact]
    public async Task An_expired_link_tells_a_JSON_caller_410_with_a_null_referral_status()
    {
        var (status, _, body) = await Execute("application/json", LinkResult.ForVerification(new LinkVerification.Expired(new VoucherLinkClaims("v", "p", DateTimeOffset.UnixEpoch))));

        Assert.Equal(410, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Expired", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("referralStatus").ValueKind);
    }

    [Fact]
    public async Task A_browser_gets_the_page_with_headers_that_keep_the_link_private_and_forbid_script()
    {
        var (status, headers, body) = await Execute("text/html", LinkResult.NotFound());

        Assert.Equal(404, status);
        Assert.StartsWith("text/html", headers.ContentType.ToString(), StringComparison.Ordinal);
        Assert.Contains("<h1>This link is not valid</h1>", body, StringComparison.Ordinal);
        Assert.Equal("no-store", headers.CacheControl.ToString());
        Assert.Equal("no-referrer", headers["Referrer-Policy"].ToString());
        Assert.Equal("nosniff", headers.XContentTypeOptions.ToString());
        Assert.Contains("default-src 'none'", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", headers.ContentSecurityPolicy.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(int Status, IHeaderDictionary Headers, string Body)> Execute(string accept, LinkResult result)
    {
        using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Headers.Accept = accept;
        using var body = new MemoryStream();
        context.Response.Body = body;

        await LinkResponses.Result(context.Request, result).ExecuteAsync(context);

        return (context.Response.StatusCode, context.Response.Headers, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }
}
