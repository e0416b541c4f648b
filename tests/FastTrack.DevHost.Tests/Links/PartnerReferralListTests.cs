using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FastTrack.Core.Mail;
using FastTrack.DevHost.Tests.Referrals;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Links;

/// <summary>The "Your referrals" link every partner email carries (API.md "Partner links"), over HTTP on the dev host.</summary>
public sealed partial class PartnerReferralListTests
{
    [Fact]
    public async Task The_list_link_shows_the_partners_referrals_newest_first_without_the_contact_each_linking_to_its_own_page()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        await kit.PutPartnerAsync("alpha");
        await kit.PutPartnerAsync("bravo", partner => partner["endorsements"] = new System.Text.Json.Nodes.JsonArray("Intune"));
        await kit.SubmitAsync(Rfa("older", "Teams"));
        await kit.SubmitAsync(Rfa("newer", "Teams"));
        await kit.SubmitAsync(Rfa("someone-elses", "Intune"));
        var mail = await kit.WaitForMailAsync("alpha@partners.example", "Customer newer");

        var list = ListLinkIn(mail);
        var response = await kit.Anonymous.GetAsync(Relative(list));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.True(html.IndexOf("Customer newer", StringComparison.Ordinal) < html.IndexOf("Customer older", StringComparison.Ordinal));
        Assert.DoesNotContain("Customer someone-elses", html, StringComparison.Ordinal);
        foreach (var personal in new[] { "Casey Customer", "casey@contoso.example", "555 0100", "Sam Seller", "sam@microsoft.example" })
        {
            Assert.DoesNotContain(personal, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(2, Regex.Count(html, "<li class=\"referral standard\">"));
        Assert.Contains("Respond by", html, StringComparison.Ordinal);
        Assert.Contains("(America/New_York)", html, StringComparison.Ordinal);
        Assert.Matches(@"\d+ days? \d+ hours? left|\d+ hours? \d+ minutes? left", html);
        var rowLinks = OpenLinks().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.Equal(2, rowLinks.Count);
        foreach (var row in rowLinks)
        {
            var page = await kit.Anonymous.GetStringAsync(Relative(row));
            Assert.Contains("Accept this referral", page, StringComparison.Ordinal);
        }

        // A GET changed nothing, and neither does a POST to the list itself.
        var posted = await kit.ActAsync(list, "accept");
        Assert.Equal(HttpStatusCode.NotFound, posted.Status);
        Assert.Equal(2, Regex.Count(await kit.Anonymous.GetStringAsync(Relative(list)), "Offered to you, waiting for your answer"));
    }

    [Fact]
    public async Task A_forged_or_expired_list_link_gets_the_same_clear_page_as_an_action_link_and_changes_nothing()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        await kit.PutPartnerAsync("alpha");
        await kit.SubmitAsync(Rfa("expiry", "Teams"));
        var list = ListLinkIn(await kit.WaitForMailAsync("alpha@partners.example", "Customer expiry"));
        var forged = list[..^3] + (list[^3] == 'A' ? "B" : "A") + list[^2..];

        var forgedResponse = await kit.Anonymous.GetAsync(Relative(forged));
        Assert.Equal(HttpStatusCode.NotFound, forgedResponse.StatusCode);
        Assert.Contains("This link is not valid", await forgedResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await kit.SetClockAsync(DateTimeOffset.UtcNow.AddDays(31));
        var expired = await kit.Anonymous.GetAsync(Relative(list));
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        var page = await expired.Content.ReadAsStringAsync();
        Assert.Contains("This link has expired", page, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", page, StringComparison.Ordinal);
    }

    private static System.Text.Json.Nodes.JsonObject Rfa(string name, string workload)
    {
        var rfa = SampleRequests.Rfa("list-page-" + name, workload);
        rfa["customer"]!["name"] = "Customer " + name;
        return rfa;
    }

    /// <summary>The "Your referrals" link: the last link of every email to a partner.</summary>
    internal static string ListLinkIn(JsonElement mail)
    {
        var last = mail.GetProperty("links").EnumerateArray().Last().GetString()!;
        Assert.Contains(ReferralEmails.YourReferrals, mail.GetProperty("html").GetString(), StringComparison.Ordinal);
        return last;
    }

    private static Uri Relative(string link) => new(new Uri(link).PathAndQuery, UriKind.Relative);

    [GeneratedRegex("<a class=\"open\" href=\"([^\"]+)\"")]
    private static partial Regex OpenLinks();
}
