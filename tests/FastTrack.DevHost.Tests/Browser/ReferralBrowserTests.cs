using System.Net.Http.Json;
using System.Text.Json;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.DevHost.Tests.Referrals;
using FastTrack.Testing;
using Microsoft.Playwright;
using Xunit;

namespace FastTrack.DevHost.Tests.Browser;

/// <summary>The main job as a person does it, in a real browser against the real app on a real socket.</summary>
public sealed class ReferralBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_person_submits_the_RFA_form_follows_the_emailed_link_accepts_and_the_referral_is_Active()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        var port = LoopbackPorts.Free();
        var baseUrl = $"http://127.0.0.1:{port}";
        await using var app = new FastTrackApp(
            azurite.ConnectionString, new Dictionary<string, string?> { ["Links:PublicBaseUrl"] = baseUrl });
        app.UseKestrel(port);
        app.StartServer();
        using var operations = new HttpClient { BaseAddress = new Uri(baseUrl) };
        operations.DefaultRequestHeaders.Add("x-functions-key", FastTrackApp.OperationsKey);
        (await operations.PutAsJsonAsync(new Uri("/api/partners/northwind", UriKind.Relative), SampleRequests.Partner("northwind"))).EnsureSuccessStatusCode();
        var page = await browser.Browser.NewPageAsync();

        await page.GotoAsync($"{baseUrl}/");
        await page.ClickAsync("text=Request for Assistance form");
        await page.FillAsync("[name='requestor.name']", "Sam Seller");
        await page.FillAsync("[name='requestor.email']", "sam@microsoft.example");
        await page.CheckAsync("[name='requestor.isMicrosoft']");
        await page.FillAsync("[name='customer.tenantId']", "tenant-browser");
        await page.FillAsync("[name='customer.tpid']", "tpid-browser");
        await page.FillAsync("[name='customer.name']", "Contoso <Browser> & Co");
        await page.FillAsync("[name='customer.country']", "US");
        await page.FillAsync("[name='customer.language']", "en");
        await page.FillAsync("[name='customer.seats']", "2500");
        await page.CheckAsync("input[name='workloads'][value='Teams']");
        await page.FillAsync("[name='contact.name']", "Casey Customer");
        await page.FillAsync("[name='contact.email']", "casey@contoso.example");
        // The development key is filled in for us in Development.
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("#result")).ToContainTextAsync("received");
        var referralId = await page.Locator("#result").GetAttributeAsync("data-referral-id");

        // The mailbox page lists each email's links; the notification may take a moment to be dispatched.
        var link = page.Locator("a[href*='/api/links/']").First;
        await Eventually.Returns(
            async () =>
            {
                await page.GotoAsync($"{baseUrl}/_dev/mailbox");
                return await link.CountAsync();
            },
            count => count > 0);
        // Follow it by its address: the emails' frames resize as they load, so a click on the list can miss the link.
        await page.GotoAsync(await link.GetAttributeAsync("href") ?? throw new InvalidOperationException("The link has no address."));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Contoso <Browser> & Co");
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept this referral" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Referral accepted");

        var referral = await operations.GetFromJsonAsync<JsonElement>(new Uri($"/api/referrals/{referralId}", UriKind.Relative));
        Assert.Equal("Active", referral.GetProperty("status").GetString());
        Assert.Equal("northwind", ReferralTestKit.Part(referral, "p1").GetProperty("partnerId").GetString());
    }

    [Fact]
    public async Task A_partner_opens_Your_referrals_from_an_email_sees_two_accepts_one_from_its_row_and_the_list_shows_it_accepted()
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        var port = LoopbackPorts.Free();
        var baseUrl = $"http://127.0.0.1:{port}";
        await using var app = new FastTrackApp(
            azurite.ConnectionString, new Dictionary<string, string?> { ["Links:PublicBaseUrl"] = baseUrl, ["DemoData:Enabled"] = "false" });
        app.UseKestrel(port);
        app.StartServer();
        using var operations = new HttpClient { BaseAddress = new Uri(baseUrl) };
        operations.DefaultRequestHeaders.Add("x-functions-key", FastTrackApp.OperationsKey);
        using var intake = new HttpClient { BaseAddress = new Uri(baseUrl) };
        intake.DefaultRequestHeaders.Add("x-functions-key", FastTrackApp.IntakeKey);
        (await operations.PutAsJsonAsync(new Uri("/api/partners/northwind", UriKind.Relative), SampleRequests.Partner("northwind"))).EnsureSuccessStatusCode();
        foreach (var customer in new[] { "Adatum", "Bellows College" })
        {
            var rfa = SampleRequests.Rfa("browser-list-" + customer.Length);
            rfa["customer"]!["name"] = customer;
            (await intake.PostAsJsonAsync(new Uri("/api/referrals", UriKind.Relative), rfa)).EnsureSuccessStatusCode();
        }

        var offers = await Eventually.Returns(
            async () => (await operations.GetFromJsonAsync<JsonElement>(new Uri("/api/_dev/mailbox", UriKind.Relative))).EnumerateArray()
                .Where(mail => mail.GetProperty("subject").GetString()!.StartsWith("New Standard referral", StringComparison.Ordinal)).ToList(),
            found => found.Count == 2);
        var listLink = offers[^1].GetProperty("links").EnumerateArray().Last().GetString()!;
        var page = await browser.Browser.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);

        await page.GotoAsync(listLink);
        await Assertions.Expect(page.Locator("li.referral")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("li.referral h2")).ToHaveTextAsync(["Bellows College", "Adatum"]);
        await page.GetByRole(AriaRole.Link, new() { Name = "Accept or decline: Adatum" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Adatum");
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept this referral" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Referral accepted");

        await page.GotoAsync(listLink);
        var adatum = page.Locator("li.referral", new() { HasText = "Adatum" });
        await Assertions.Expect(adatum).ToContainTextAsync("Accepted: the engagement is under way");
        await Assertions.Expect(adatum.GetByRole(AriaRole.Link, new() { Name = "Complete or decline: Adatum" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("li.referral", new() { HasText = "Bellows College" })).ToContainTextAsync("Offered to you");
        Assert.Equal(390, await page.EvaluateAsync<int>("document.documentElement.scrollWidth"));
    }
}
