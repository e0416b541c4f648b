using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Partners;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Mail;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using FastTrack.DevHost.DevTools;
using Xunit;

namespace FastTrack.DevHost.Tests.Mail;

/// <summary>The production sender, through the real Graph SDK, against the app's local Graph endpoint.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class GraphMailSenderTests(AzuriteFixture azurite)
{
    private static readonly Uri Mailbox = new("/api/_dev/mailbox", UriKind.Relative);
    private static readonly Uri Faults = new("/api/_dev/mailbox/faults", UriKind.Relative);

    [Fact]
    public async Task A_sent_mail_shows_in_the_dev_mailbox_with_its_absolute_links()
    {
        await using var app = NewApp();
        var mail = new OutgoingMail(
            "r1:NotifyPartner:p1:1",
            ["partner@example.com"],
            ["fpm@example.com"],
            "New referral",
            """<p><a href="https://fasttrack.example/api/links/abc?x=1&amp;y=2">Respond</a> <a href='/relative'>no</a> <a href="mailto:x@example.com">no</a></p>""",
            "Respond: https://fasttrack.example/api/links/abc?x=1&y=2");

        await app.Services.GetRequiredService<IMailSender>().SendAsync(mail, CancellationToken.None);

        var mails = await app.CreateClient().GetFromJsonAsync<JsonElement>(Mailbox);
        var stored = Assert.Single(mails.EnumerateArray());
        Assert.Equal("r1:NotifyPartner:p1:1", stored.GetProperty("id").GetString());
        Assert.Equal("mail@fasttrack.test", stored.GetProperty("from").GetString());
        Assert.Equal(["partner@example.com"], Strings(stored.GetProperty("to")));
        Assert.Equal(["fpm@example.com"], Strings(stored.GetProperty("cc")));
        Assert.Equal("New referral", stored.GetProperty("subject").GetString());
        Assert.Equal(mail.Html, stored.GetProperty("html").GetString());
        Assert.Equal(["https://fasttrack.example/api/links/abc?x=1&y=2"], Strings(stored.GetProperty("links")));
        var sentAt = stored.GetProperty("sentAt").GetDateTimeOffset();
        Assert.InRange(sentAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task The_mailbox_lists_newest_last_and_the_page_shows_newest_first()
    {
        await using var app = NewApp();
        var sender = app.Services.GetRequiredService<IMailSender>();

        await sender.SendAsync(Mail("first", "<p>one &amp; <b>1</b></p>"), CancellationToken.None);
        await app.CreateClient().PostAsJsonAsync(new Uri("/api/_dev/clock", UriKind.Relative), new { advance = "PT1H" });
        await sender.SendAsync(Mail("second", """<a href="https://example.com/2">two</a>"""), CancellationToken.None);

        var mails = await app.CreateClient().GetFromJsonAsync<JsonElement>(Mailbox);
        Assert.Equal(["first", "second"], mails.EnumerateArray().Select(m => m.GetProperty("id").GetString()!));
        var page = await app.CreateClient().GetStringAsync(new Uri("/_dev/mailbox", UriKind.Relative));
        Assert.True(page.IndexOf("Subject second", StringComparison.Ordinal) < page.IndexOf("Subject first", StringComparison.Ordinal));
        Assert.Contains("srcdoc=\"&lt;p&gt;one &amp;amp; &lt;b&gt;1&lt;/b&gt;&lt;/p&gt;\"", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://example.com/2\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_with_Retry_After_is_retried_by_the_Graph_client_and_the_mail_is_stored_once()
    {
        await using var app = NewApp();
        var client = app.CreateClient();
        var injected = await client.PostAsJsonAsync(Faults, new { status = 429, retryAfterSeconds = 1, count = 2 });
        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);

        var started = DateTimeOffset.UtcNow;
        await app.Services.GetRequiredService<IMailSender>().SendAsync(Mail("throttled", "<p>hi</p>"), CancellationToken.None);

        // Two waits of the Retry-After second each prove the SDK honoured the header rather than retrying at once.
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(1.9));
        var mails = await client.GetFromJsonAsync<JsonElement>(Mailbox);
        Assert.Equal("throttled", Assert.Single(mails.EnumerateArray()).GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task More_failures_than_the_Graph_client_retries_throw_and_store_nothing(int status)
    {
        await using var app = NewApp();
        var client = app.CreateClient();
        await client.PostAsJsonAsync(Faults, new { status, retryAfterSeconds = 0, count = 4 });

        var failure = await Assert.ThrowsAsync<MailNotSentException>(() =>
            app.Services.GetRequiredService<IMailSender>().SendAsync(Mail("lost", "<p>hi</p>"), CancellationToken.None));

        Assert.Equal("lost", failure.MailId);
        Assert.Equal(status, failure.Status);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>(Mailbox)).EnumerateArray());

        // The faults are used up: the caller's later retry goes through.
        await app.Services.GetRequiredService<IMailSender>().SendAsync(Mail("lost", "<p>hi</p>"), CancellationToken.None);
        Assert.Single((await client.GetFromJsonAsync<JsonElement>(Mailbox)).EnumerateArray());
    }

    [Fact]
    public async Task A_Graph_error_that_is_not_retried_throws_with_its_status()
    {
        await using var app = NewApp();
        await app.CreateClient().PostAsJsonAsync(Faults, new { status = 403, retryAfterSeconds = 0, count = 1 });

        var failure = await Assert.ThrowsAsync<MailNotSentException>(() =>
            app.Services.GetRequiredService<IMailSender>().SendAsync(Mail("forbidden", "<p>hi</p>"), CancellationToken.None));

        Assert.Equal(403, failure.Status);
    }

    [Fact]
    public async Task An_unreachable_Graph_throws()
    {
        await using var app = NewApp(new Dictionary<string, string?> { ["Mail:GraphBaseUrl"] = "http://127.0.0.1:1/v1.0" });

        var failure = await Assert.ThrowsAsync<MailNotSentException>(() =>
            app.Services.GetRequiredService<IMailSender>().SendAsync(Mail("nowhere", "<p>hi</p>"), CancellationToken.None));

        Assert.Null(failure.Status);
    }

    [Fact]
    public async Task The_local_endpoint_reads_camelCase_keys_as_Graph_does()
    {
        await using var app = NewApp();
        var endpoint = app.Services.GetRequiredService<DevGraphEndpoint>();
        using var http = new HttpClient();

        var response = await http.PostAsJsonAsync(
            new Uri(endpoint.BaseUrl + "/users/someone@example.com/sendMail"),
            new
            {
                message = new
                {
                    subject = "camel",
                    body = new { contentType = "html", content = "<p>x</p>" },
                    toRecipients = new[] { new { emailAddress = new { address = "a@example.com" } } },
                },
                saveToSentItems = false,
            });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = Assert.Single((await app.CreateClient().GetFromJsonAsync<JsonElement>(Mailbox)).EnumerateArray());
        Assert.Equal("someone@example.com", stored.GetProperty("from").GetString());
        Assert.Equal(["a@example.com"], Strings(stored.GetProperty("to")));
        Assert.Equal("camel", stored.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_partner_notification_arrives_with_its_respond_link()
    {
        await using var app = NewApp();
        var referral = new Referral(
            "r-7",
            new MatchRequest(
                new Customer("t", "tpid", "Contoso", "US", "en", Segment.Commercial, 500),
                ReferralType.Benefit,
                new HashSet<Workload> { Workload.Teams },
                new Dictionary<string, IReadOnlySet<Workload>>()),
            []);
        var part = new AssignmentPart(
            "p1", new HashSet<Workload> { Workload.Teams }, PartStatus.Offered, "northwind", 1,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(2), new HashSet<string>());
        var partner = new PartnerProfile(
            "northwind", "Northwind", true, true, true, true, "US", new HashSet<string>(), new HashSet<string> { "en" },
            new HashSet<Segment>(), 1, 100_000, new HashSet<Workload> { Workload.Teams }, "referrals@northwind.example",
            "Europe/Paris", "fpm@microsoft.com");
        var contacts = new ReferralContacts(
            new Requestor("Sam", "sam@microsoft.com", true), new CustomerContact("Ana", "ana@contoso.example", null), null);
        var mail = ReferralEmails.PartnerNotification(
            "r-7:NotifyPartner:p1:1", referral, part, partner, contacts, "https://ft.example/api/links/t?k=1&s=2", "https://ft.example/api/links/list");

        await app.Services.GetRequiredService<IMailSender>().SendAsync(mail, CancellationToken.None);

        var stored = Assert.Single((await app.CreateClient().GetFromJsonAsync<JsonElement>(Mailbox)).EnumerateArray());
        Assert.Equal(["referrals@northwind.example"], Strings(stored.GetProperty("to")));
        Assert.Equal(["https://ft.example/api/links/t?k=1&s=2", "https://ft.example/api/links/list"], Strings(stored.GetProperty("links")));
    }

    [Fact]
    public async Task A_fault_that_is_not_an_error_status_is_refused()
    {
        await using var app = NewApp();

        var response = await app.CreateClient().PostAsJsonAsync(Faults, new { status = 200, retryAfterSeconds = -1, count = -1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["count", "retryAfterSeconds", "status"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_index_page_links_the_mailbox_page()
    {
        await using var app = NewApp();

        var index = await app.CreateClient().GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("href=\"/_dev/mailbox\"", index, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mailbox_is_404_outside_Development()
    {
        await using var app = NewApp();
        await using var production = app.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));
        var client = production.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Mailbox)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/_dev/mailbox", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync(Faults, new { status = 429, count = 1 })).StatusCode);
    }

    /// <summary>Apps in the collection share one Azurite; each gets a mailbox table of its own.</summary>
    private FastTrackApp NewApp(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["Mail:DevMailboxTable"] = "DevMailbox" + Guid.NewGuid().ToString("N")[..12];
        settings["Mail:SenderMailbox"] = "mail@fasttrack.test";
        settings["Triggers:RunLocally"] = "false";
        return new FastTrackApp(azurite.ConnectionString, settings);
    }

    private static OutgoingMail Mail(string id, string html) =>
        new(id, ["to@example.com"], [], "Subject " + id, html, "text");

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
