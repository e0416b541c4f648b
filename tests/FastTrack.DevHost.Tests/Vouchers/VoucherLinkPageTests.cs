using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FastTrack.DevHost.Tests.Browser;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.Playwright;
using Xunit;

namespace FastTrack.DevHost.Tests.Vouchers;

/// <summary>The voucher link from the issue email: its page, and its upload form posting back to the link.</summary>
public sealed class VoucherLinkPageTests
{
    [Fact]
    public async Task The_voucher_link_opens_the_voucher_page_with_the_customer_and_an_upload_form()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();

        var response = await kit.Referrals.Anonymous.GetAsync(voucher.LinkPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Customer Success Offer voucher: Contoso</h1>", html, StringComparison.Ordinal);
        Assert.Contains(voucher.Id, html, StringComparison.Ordinal);
        Assert.Contains("enctype=\"multipart/form-data\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_form_posted_to_the_link_is_received_then_already_done_and_a_refusal_lists_each_problem()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var document = RedemptionTestKit.Pdf("through the link");

        var received = await PostAsync(kit, voucher.LinkPath, RedemptionTestKit.SowForm(document), json: true);
        var again = await PostAsync(kit, voucher.LinkPath, RedemptionTestKit.SowForm(document), json: false);
        var refused = await PostAsync(
            kit, voucher.LinkPath, RedemptionTestKit.SowForm(RedemptionTestKit.Pdf("unsigned"), fields: [("signedByCustomer", ""), ("signedByPartner", "")]), json: false);

        Assert.Equal(HttpStatusCode.Accepted, received.StatusCode);
        var outcome = await received.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Received", "Redeeming"), (outcome.GetProperty("outcome").GetString(), outcome.GetProperty("voucherStatus").GetString()));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("<h1>Already done</h1>", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("<li>The document must be signed by the customer.</li>", page, StringComparison.Ordinal);
        Assert.Contains("<li>The document must be signed by the partner.</li>", page, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", page, StringComparison.Ordinal);
        Assert.Single(await kit.RedemptionsAsync(voucher.Id));
        Assert.Single(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task The_SOWs_bytes_posted_to_the_link_as_a_POE_get_a_409_page_saying_which_redemption_holds_them()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var sowBytes = RedemptionTestKit.Pdf("the SOW, then as a POE");
        await PostAsync(kit, voucher.LinkPath, RedemptionTestKit.SowForm(sowBytes, "Contoso SOW.pdf"), json: true);

        var page = await PostAsync(kit, voucher.LinkPath, RedemptionTestKit.PoeForm(sowBytes), json: false);
        var json = await PostAsync(kit, voucher.LinkPath, RedemptionTestKit.PoeForm(sowBytes), json: true);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (page.StatusCode, json.StatusCode));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("already received, as the SOW Contoso SOW.pdf submitted on", html, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed.", html, StringComparison.Ordinal);
        Assert.Equal("Refused", (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        Assert.Equal("Sow", Assert.Single(await kit.RedemptionsAsync(voucher.Id)).GetProperty("kind").GetString());
        Assert.Single(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    [Fact]
    public async Task A_tampered_voucher_link_is_not_valid_and_its_upload_changes_nothing()
    {
        await using var kit = await RedemptionTestKit.StartAsync();
        var voucher = await kit.IssueVoucherAsync();
        var tampered = new Uri(voucher.LinkPath.OriginalString[..^1] + (voucher.Link[^1] == 'A' ? "B" : "A"), UriKind.Relative);

        var opened = await kit.Referrals.Anonymous.GetAsync(tampered);
        var posted = await PostAsync(kit, tampered, RedemptionTestKit.SowForm(RedemptionTestKit.Pdf("tampered")), json: false);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (opened.StatusCode, posted.StatusCode));
        Assert.Contains("<h1>This link is not valid</h1>", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await kit.RedemptionsAsync(voucher.Id));
        Assert.Empty(await kit.BlobsAsync(RedemptionTestKit.SowContainer));
    }

    private static async Task<HttpResponseMessage> PostAsync(RedemptionTestKit kit, Uri link, HttpContent form, bool json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, link) { Content = form };
        request.Headers.Accept.ParseAdd(json ? "application/json" : "text/html");
        return await kit.Referrals.Anonymous.SendAsync(request);
    }
}

/// <summary>The partner's way in, in a real browser against the real app on a real socket.</summary>
public sealed class VoucherLinkBrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_partner_opens_the_emailed_voucher_link_uploads_the_signed_SOW_and_the_offer_desk_sees_it()
    {
        var port = LoopbackPorts.Free();
        var baseUrl = $"http://127.0.0.1:{port}";
        await using var kit = await RedemptionTestKit.StartAsync(new Dictionary<string, string?> { ["Links:PublicBaseUrl"] = baseUrl });
        var voucher = await kit.IssueVoucherAsync();
        // A second app on the same storage serves the browser on a socket; the kit's app signed the link for it.
        await using var app = new FastTrackApp(kit.Referrals.Storage, RedemptionTestKit.Settings);
        app.UseKestrel(port);
        app.StartServer();
        var document = RedemptionTestKit.Pdf("signed in the browser");
        var page = await browser.Browser.NewPageAsync();

        await page.GotoAsync(voucher.Link);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Customer Success Offer voucher: Contoso");
        await page.SelectOptionAsync("[name='kind']", "sow");
        await page.FillAsync("[name='templateId']", "SOW-2023");
        await page.CheckAsync("[name='signedByCustomer']");
        await page.CheckAsync("[name='signedByPartner']");
        await page.SetInputFilesAsync("[name='file']", new FilePayload { Name = "Contoso SOW.pdf", MimeType = "application/pdf", Buffer = document });
        await page.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Document received");
        await Assertions.Expect(page.Locator(".message")).ToContainTextAsync("SOW Contoso SOW.pdf was received");
        var redemption = Assert.Single(await kit.RedemptionsAsync(voucher.Id));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(document)), redemption.GetProperty("document").GetProperty("sha256").GetString());
        await page.ClickAsync("text=Back to the voucher");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Contoso SOW.pdf");
    }
}
