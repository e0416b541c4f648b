using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using FastTrack.Core.Events;
using FastTrack.Core.Referrals;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Referrals;

/// <summary>The main job end to end: RFA in, partner emailed, link clicked, referral moves on; each test on its own Azurite.</summary>
public sealed class ReferralWorkflowTests : IAsyncLifetime
{
    private ReferralTestKit _kit = null!;

    public async Task InitializeAsync() => _kit = await ReferralTestKit.StartAsync();

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task An_RFA_is_matched_offered_and_the_partner_emailed_with_a_respond_link()
    {
        await _kit.PutPartnerAsync("alpha");

        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-1", "Teams", "ExchangeOnline"));

        var mail = await _kit.WaitForMailAsync("alpha@partners.example", "New ");
        Assert.Contains("/api/links/", ReferralTestKit.LinkIn(mail), StringComparison.Ordinal);
        var referral = await _kit.GetReferralAsync(id);
        Assert.Equal("Offered", referral.GetProperty("status").GetString());
        var part = ReferralTestKit.Part(referral, "p1");
        Assert.Equal("alpha", part.GetProperty("partnerId").GetString());
        Assert.Equal("Offered", part.GetProperty("status").GetString());
        Assert.Contains(referral.GetProperty("history").EnumerateArray(), h => h.GetProperty("kind").GetString() == "PartnerMatched");
    }

    [Fact]
    public async Task A_split_referral_goes_Active_when_both_partners_accept_and_Completed_when_both_complete()
    {
        await _kit.PutPartnerAsync("mail", p => p["endorsements"] = new JsonArray("ExchangeOnline"));
        await _kit.PutPartnerAsync("chat", p => p["endorsements"] = new JsonArray("Teams"));
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-split", "ExchangeOnline", "Teams"));

        foreach (var partner in new[] { "mail", "chat" })
        {
            var offer = await _kit.WaitForMailAsync($"{partner}@partners.example", "New ");
            var (status, outcome) = await _kit.ActAsync(ReferralTestKit.LinkIn(offer), "accept");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Accepted", outcome.GetProperty("outcome").GetString());
        }

        Assert.Equal("Active", (await _kit.GetReferralAsync(id)).GetProperty("status").GetString());

        foreach (var partner in new[] { "mail", "chat" })
        {
            var confirmation = await _kit.WaitForMailAsync($"{partner}@partners.example", "accepted");
            var (status, outcome) = await _kit.ActAsync(
                ReferralTestKit.LinkIn(confirmation), "complete",
                ("valueAddedServicesSold", "true"), ("estimatedValue", "12000"), ("currency", "USD"), ("notes", "Went well"));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Completed", outcome.GetProperty("outcome").GetString());
        }

        var done = await _kit.GetReferralAsync(id);
        Assert.Equal("Completed", done.GetProperty("status").GetString());
        Assert.All(done.GetProperty("parts").EnumerateArray(), p =>
            Assert.Equal(12000m, p.GetProperty("completion").GetProperty("estimatedValue").GetDecimal()));
    }

    [Theory]
    [InlineData("CustomerWorkingWithAnotherPartner", null)]
    [InlineData("CustomerUnresponsive", null)]
    [InlineData("CustomerLegalOrPolitical", null)]
    [InlineData("CustomerTypeNotSupported", null)]
    [InlineData("LanguageNotSupported", null)]
    [InlineData("CannotDeliverBenefit", "We cannot deliver the Benefit this quarter.")]
    [InlineData("PartnerAtCapacity", null)]
    [InlineData("Other", "Our only Teams consultant left.")]
    public async Task A_granted_decline_reassigns_the_part_to_the_next_partner_in_round_robin(string reason, string? notes)
    {
        await _kit.PutPartnerAsync("first");
        await _kit.PutPartnerAsync("second");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-decline"));
        var offered = (await _kit.GetReferralAsync(id)).GetProperty("parts")[0].GetProperty("partnerId").GetString()!;
        var other = offered == "first" ? "second" : "first";

        var offer = await _kit.WaitForMailAsync($"{offered}@partners.example", "New ");
        var (status, outcome) = await _kit.ActAsync(ReferralTestKit.LinkIn(offer), "decline", ("reason", reason), ("notes", notes ?? ""));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Declined", outcome.GetProperty("outcome").GetString());
        await _kit.WaitForMailAsync($"{other}@partners.example", "New ");
        var part = ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1");
        Assert.Equal(other, part.GetProperty("partnerId").GetString());
        Assert.Equal("Offered", part.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("CustomerPrefersFastTrackCenter")]
    [InlineData("AccountTeamDeclinesPartner")]
    public async Task A_refused_decline_reason_answers_409_and_leaves_the_part_as_it_was(string reason)
    {
        await _kit.PutPartnerAsync("only");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-refused"));
        var offer = await _kit.WaitForMailAsync("only@partners.example", "New ");
        var before = ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1").GetRawText();

        var (status, outcome) = await _kit.ActAsync(ReferralTestKit.LinkIn(offer), "decline", ("reason", reason));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("Refused", outcome.GetProperty("outcome").GetString());
        Assert.Equal(before, ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1").GetRawText());
    }

    [Fact]
    public async Task At_capacity_is_granted_once_per_partner_and_refused_the_second_time()
    {
        await _kit.PutPartnerAsync("busy");
        await _kit.PutPartnerAsync("spare", p => p["timeZone"] = "Europe/London");
        await _kit.SubmitAsync(SampleRequests.Rfa("rfa-cap-1"));
        var firstOffer = await _kit.WaitForMailAsync("busy@partners.example", "New ");
        Assert.Equal("Declined", (await _kit.ActAsync(ReferralTestKit.LinkIn(firstOffer), "decline", ("reason", "PartnerAtCapacity"))).Outcome.GetProperty("outcome").GetString());
        await Eventually.Returns(() => _kit.GetPartnerAsync("busy"), p => p.GetProperty("capacityDeclineUsed").GetBoolean());

        // spare took the declined part, so busy has waited longest and gets the next RFA.
        await _kit.SubmitAsync(SampleRequests.Rfa("rfa-cap-2"));
        var secondOffer = await _kit.WaitForMailAsync("busy@partners.example", "New ", count: 2);
        var (status, outcome) = await _kit.ActAsync(ReferralTestKit.LinkIn(secondOffer), "decline", ("reason", "PartnerAtCapacity"));

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("Refused", outcome.GetProperty("outcome").GetString());
        Assert.Contains("pause", outcome.GetProperty("message").GetString()!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_partner_who_does_not_answer_by_Tuesday_15_00_after_a_Friday_15_00_offer_is_timed_out_then_and_not_before()
    {
        await _kit.PutPartnerAsync("slow");
        await _kit.PutPartnerAsync("next");
        var friday = NextFriday1500NewYork();
        await _kit.SetClockAsync(friday);
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-timeout"));
        var part = ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1");
        var first = part.GetProperty("partnerId").GetString()!;
        var due = part.GetProperty("dueAt").GetDateTimeOffset();
        var offeredAt = part.GetProperty("offeredAt").GetDateTimeOffset();
        Assert.InRange(offeredAt - friday, TimeSpan.Zero, TimeSpan.FromSeconds(10)); // the app's clock runs on from 15:00
        Assert.Equal(offeredAt.AddDays(4), due); // Friday → Tuesday, same time of day

        var stepped = await _kit.WorkflowUpdatedAtAsync(id); // read first: the workflow checks as soon as the clock moves
        await _kit.SetClockAsync(due.AddMinutes(-1));
        await Eventually.Returns(() => _kit.WorkflowUpdatedAtAsync(id), updated => updated > stepped);
        Assert.Equal(first, ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1").GetProperty("partnerId").GetString());

        await _kit.SetClockAsync(due.AddSeconds(1));
        var reassigned = await Eventually.Returns(
            async () => ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1"),
            p => p.GetProperty("partnerId").GetString() != first);

        Assert.Equal(2, reassigned.GetProperty("attempts").GetInt32());
        var history = (await _kit.GetReferralAsync(id)).GetProperty("history").EnumerateArray().ToList();
        Assert.Contains(history, h => h.GetProperty("kind").GetString() == "TimedOut" && h.GetProperty("partnerId").GetString() == first);
        await _kit.WaitForMailAsync($"{first}@partners.example", "reassigned");
    }

    [Fact]
    public async Task With_nobody_left_to_ask_the_part_is_Unmatched_and_the_processing_team_is_emailed()
    {
        await _kit.PutPartnerAsync("lonely");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-empty"));
        var offer = await _kit.WaitForMailAsync("lonely@partners.example", "New ");

        await _kit.ActAsync(ReferralTestKit.LinkIn(offer), "decline", ("reason", "CustomerUnresponsive"));

        var referral = await Eventually.Returns(() => _kit.GetReferralAsync(id), r => r.GetProperty("status").GetString() == "Unmatched");
        Assert.Equal("Unmatched", ReferralTestKit.Part(referral, "p1").GetProperty("status").GetString());
        var escalations = await Eventually.Returns(
            async () => (await _kit.MailboxAsync()).Where(m => m.GetProperty("subject").GetString()!.Contains("escalat", StringComparison.OrdinalIgnoreCase)).ToList(),
            found => found.Count >= 1);
        Assert.Contains(id, escalations[0].GetProperty("html").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submitting_the_same_submissionId_twice_returns_the_same_referral_and_creates_nothing()
    {
        await _kit.PutPartnerAsync("solo");

        var first = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-twice"));
        var again = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-twice"));

        Assert.Equal(first, again);
        await _kit.WaitForMailAsync("solo@partners.example", "New ");
        // A second referral would have been offered to the same (only) partner.
        await _kit.SubmitAsync(SampleRequests.Rfa("rfa-other"));
        await _kit.WaitForMailAsync("solo@partners.example", "New ", count: 2);
        var offers = (await _kit.MailboxAsync()).Count(m => m.GetProperty("to")[0].GetString() == "solo@partners.example");
        Assert.Equal(2, offers);
    }

    [Fact]
    public async Task Twenty_simultaneous_accepts_on_one_link_end_in_one_acceptance_and_one_history_entry()
    {
        await _kit.PutPartnerAsync("popular");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-race"));
        var link = ReferralTestKit.LinkIn(await _kit.WaitForMailAsync("popular@partners.example", "New "));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _kit.ActAsync(link, "accept")));

        Assert.Equal(1, results.Count(r => r.Outcome.GetProperty("outcome").GetString() == "Accepted"));
        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(results.Where(r => r.Outcome.GetProperty("outcome").GetString() != "Accepted"),
            r => Assert.Equal("AlreadyDone", r.Outcome.GetProperty("outcome").GetString()));
        var history = (await _kit.GetReferralAsync(id)).GetProperty("history").EnumerateArray();
        Assert.Single(history, h => h.GetProperty("kind").GetString() == "Accepted");
    }

    [Fact]
    public async Task Opening_a_link_shows_a_page_and_changes_nothing()
    {
        await _kit.PutPartnerAsync("careful");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-get"));
        var link = ReferralTestKit.LinkIn(await _kit.WaitForMailAsync("careful@partners.example", "New "));
        var before = (await _kit.GetReferralAsync(id)).GetRawText();

        var page = await _kit.Anonymous.GetAsync(new Uri(new Uri(link).PathAndQuery, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Contoso", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, (await _kit.GetReferralAsync(id)).GetRawText());
    }

    [Fact]
    public async Task Forged_and_altered_links_change_nothing()
    {
        await _kit.PutPartnerAsync("target");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-forged"));
        var link = ReferralTestKit.LinkIn(await _kit.WaitForMailAsync("target@partners.example", "New "));
        var token = link[(link.LastIndexOf('/') + 1)..];
        var altered = token[..^3] + (token[^3] == 'A' ? 'B' : 'A') + token[^2..];

        var forged = await _kit.ActAsync(link.Replace(token, "not-a-token", StringComparison.Ordinal), "accept");
        var tampered = await _kit.ActAsync(link.Replace(token, altered, StringComparison.Ordinal), "accept");

        Assert.Equal("Invalid", forged.Outcome.GetProperty("outcome").GetString());
        Assert.Equal("Invalid", tampered.Outcome.GetProperty("outcome").GetString());
        Assert.Equal("Offered", ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1").GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_expired_respond_link_answers_410_and_accepts_nothing()
    {
        await _kit.PutPartnerAsync("late");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-expired"));
        var link = ReferralTestKit.LinkIn(await _kit.WaitForMailAsync("late@partners.example", "New "));
        var due = ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1").GetProperty("dueAt").GetDateTimeOffset();

        await _kit.SetClockAsync(due.AddDays(2)); // past the deadline and the respond link's one-day grace
        var (status, outcome) = await _kit.ActAsync(link, "accept");

        Assert.Equal(HttpStatusCode.Gone, status);
        Assert.Equal("Expired", outcome.GetProperty("outcome").GetString());
        var history = (await _kit.GetReferralAsync(id)).GetProperty("history").EnumerateArray();
        Assert.DoesNotContain(history, h => h.GetProperty("kind").GetString() == "Accepted");
    }

    [Fact]
    public async Task A_link_superseded_by_reassignment_changes_nothing()
    {
        await _kit.PutPartnerAsync("a");
        await _kit.PutPartnerAsync("b");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-superseded"));
        var firstPartner = ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1").GetProperty("partnerId").GetString()!;
        var link = ReferralTestKit.LinkIn(await _kit.WaitForMailAsync($"{firstPartner}@partners.example", "New "));
        await _kit.ActAsync(link, "decline", ("reason", "CustomerUnresponsive"));

        var (status, outcome) = await _kit.ActAsync(link, "accept");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.NotEqual("Accepted", outcome.GetProperty("outcome").GetString());
        Assert.NotEqual(firstPartner, ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1").GetProperty("partnerId").GetString());
    }

    [Fact]
    public async Task A_malformed_RFA_is_400_listing_every_problem_and_stores_nothing()
    {
        var rfa = SampleRequests.Rfa("rfa-bad");
        rfa["customer"]!["seats"] = "many";
        rfa["customer"]!["country"] = "USA";
        rfa["workloads"] = new JsonArray("Teams", "Minecraft");
        rfa["contact"]!["email"] = "nobody";

        var response = await _kit.Intake.PostAsJsonAsync(new Uri("/api/referrals", UriKind.Relative), rfa);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(
            ["contact.email", "customer.country", "customer.seats", "workloads"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(0, await _kit.CountRowsAsync("Referrals"));
        Assert.Equal(0, await _kit.CountRowsAsync("Submissions"));
    }

    [Fact]
    public async Task A_Benefit_RFA_under_150_seats_is_422_and_stores_nothing()
    {
        var rfa = SampleRequests.Rfa("rfa-small");
        rfa["type"] = "Benefit";
        rfa["customer"]!["seats"] = 149;

        var response = await _kit.Intake.PostAsJsonAsync(new Uri("/api/referrals", UriKind.Relative), rfa);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("150", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Equal(0, await _kit.CountRowsAsync("Referrals"));
        Assert.Equal(0, await _kit.CountRowsAsync("Submissions"));
    }

    [Fact]
    public async Task The_form_post_of_an_RFA_is_taken_like_JSON()
    {
        await _kit.PutPartnerAsync("formal");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["submissionId"] = "form-1", ["type"] = "Standard",
            ["requestor.name"] = "Sam", ["requestor.email"] = "sam@microsoft.example", ["requestor.isMicrosoft"] = "true",
            ["customer.tenantId"] = "t-form", ["customer.tpid"] = "tp-form", ["customer.name"] = "Fabrikam",
            ["customer.country"] = "us", ["customer.language"] = "EN", ["customer.segment"] = "Commercial", ["customer.seats"] = "900",
            ["workloads"] = "Teams,ExchangeOnline",
            ["contact.name"] = "Casey", ["contact.email"] = "casey@fabrikam.example",
        });

        var response = await _kit.Intake.PostAsync(new Uri("/api/referrals", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var referral = await _kit.GetReferralAsync(id);
        Assert.Equal("US", referral.GetProperty("customer").GetProperty("country").GetString());
        Assert.Equal(["ExchangeOnline", "Teams"], referral.GetProperty("workloads").EnumerateArray().Select(w => w.GetString()));
    }

    [Fact]
    public async Task A_referrals_integration_events_read_back_from_referral_events_with_the_SDKs_own_Base64_QueueClient()
    {
        await _kit.PutPartnerAsync("alpha");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("rfa-events"));

        // What a consumer would write: the SDK's QueueClient, told that messages are Base64 (the Functions trigger's format).
        var consumer = new QueueClient(_kit.Storage, IntegrationEvents.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await consumer.CreateIfNotExistsAsync(); // the app creates it with its first event, which may not be out yet
        var events = await Eventually.Returns(
            async () => (await consumer.PeekMessagesAsync(32)).Value.Select(message => JsonDocument.Parse(message.Body.ToString()).RootElement).ToList(),
            found => found.Any(e => e.GetProperty("referralId").GetString() == id));

        var offered = events.First(e => e.GetProperty("referralId").GetString() == id);
        Assert.Equal($"referrals/{id}", offered.GetProperty("subject").GetString());
        Assert.StartsWith("referral.", offered.GetProperty("type").GetString(), StringComparison.Ordinal);
        var raw = (await new QueueClient(_kit.Storage, IntegrationEvents.QueueName).PeekMessagesAsync(1)).Value[0].MessageText;
        Assert.StartsWith("{", Encoding.UTF8.GetString(Convert.FromBase64String(raw)), StringComparison.Ordinal);
    }

    private static DateTimeOffset NextFriday1500NewYork()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date.AddDays(1);
        while (local.DayOfWeek != DayOfWeek.Friday)
        {
            local = local.AddDays(1);
        }

        local = local.AddHours(15);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
