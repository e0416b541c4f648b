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
}
