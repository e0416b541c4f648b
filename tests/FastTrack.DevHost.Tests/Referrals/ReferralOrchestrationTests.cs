using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.Core.Mail;
using FastTrack.Core.Referrals;
using FastTrack.Domain.Referrals;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Testing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Referrals;

/// <summary>
/// <see cref="ReferralWorkflow"/> on <see cref="Microsoft.DurableTask.Testing.DurableTaskTestHost"/>, every path: the
/// engine in memory, the activities with the app's services on Azurite, the workflow as it runs in Azure (deadlines on
/// durable timers only), and the app's clock in the test's hands. Each test on its own Azurite.
/// </summary>
public sealed class ReferralOrchestrationTests : IAsyncLifetime
{
    private const string CustomerMail = "casey@contoso.example";

    /// <summary>The app's clock, which starts at real time unless a test sets it back.</summary>
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private ReferralTestKit _kit = null!;

    public async Task InitializeAsync() => _kit = await ReferralTestKit.StartOnTestHostAsync(_clock);

    public async Task DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task An_accept_sends_the_confirmation_and_the_customer_notice_and_the_completion_ends_the_workflow_Completed()
    {
        await _kit.PutPartnerAsync("alpha");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("accept"));
        await WaitForStateAsync(id, OrchestrationRuntimeStatus.Running, "Offered");

        await RespondAsync("alpha", "New ", "accept", expected: "Accepted");

        await _kit.WaitForMailAsync(CustomerMail, ReferralEmails.CustomerNoticeSubject);
        await WaitForStateAsync(id, OrchestrationRuntimeStatus.Running, "Active");
        await RespondAsync(
            "alpha", "accepted", "complete", expected: "Completed",
            ("valueAddedServicesSold", "true"), ("estimatedValue", "12000"), ("currency", "USD"));
        var done = await WaitForStateAsync(id, OrchestrationRuntimeStatus.Completed, "Completed");
        Assert.Equal(ReferralStatus.Completed, done.ReadOutputAs<ReferralStatus?>());
        await _kit.WaitForMailAsync("alpha@partners.example", "Engagement complete");
    }

    [Theory]
    [InlineData("CustomerWorkingWithAnotherPartner")]
    [InlineData("CustomerUnresponsive")]
    [InlineData("CustomerLegalOrPolitical")]
    [InlineData("CustomerTypeNotSupported")]
    [InlineData("LanguageNotSupported")]
    [InlineData("CannotDeliverBenefit")]
    [InlineData("PartnerAtCapacity")]
    [InlineData("Other")]
    public async Task A_granted_decline_reassigns_the_part_and_the_workflow_waits_on_the_new_offer(string reason)
    {
        var (id, first, second) = await OfferedToOneOfTwoAsync("decline");

        await RespondAsync(first, "New ", "decline", expected: "Declined", ("reason", reason), ("notes", "A note the reason may need."));

        await RespondAsync(second, "New ", "accept", expected: "Accepted");
        await WaitForStateAsync(id, OrchestrationRuntimeStatus.Running, "Active");
        Assert.Equal(2, ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1").GetProperty("attempts").GetInt32());
    }

    [Theory]
    [InlineData("CustomerPrefersFastTrackCenter")]
    [InlineData("AccountTeamDeclinesPartner")]
    public async Task A_refused_decline_changes_nothing_and_the_offer_still_waits_for_its_answer(string reason)
    {
        await _kit.PutPartnerAsync("only");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("refused"));

        await RespondAsync("only", "New ", "decline", expected: "Refused", ("reason", reason));

        Assert.Equal((OrchestrationRuntimeStatus.Running, "Offered"), await StateAsync(id));
        await RespondAsync("only", "New ", "accept", expected: "Accepted");
        await WaitForStateAsync(id, OrchestrationRuntimeStatus.Running, "Active");
    }

    [Fact]
    public async Task At_capacity_is_granted_to_a_partner_once_and_the_second_time_the_offer_stays_open()
    {
        await _kit.PutPartnerAsync("busy");
        await _kit.PutPartnerAsync("spare", partner => partner["timeZone"] = "Europe/London");
        var firstId = await _kit.SubmitAsync(SampleRequests.Rfa("capacity-1"));
        var firstOffered = PartnerOf(await _kit.GetReferralAsync(firstId));
        // The mailbox lists by the app's clock: the first offer goes out before it moves, the second after.
        await _kit.WaitForMailAsync($"{firstOffered}@partners.example", "New ");
        _clock.Advance(TimeSpan.FromMinutes(1));
        await RespondAsync(firstOffered, "New ", "decline", expected: "Declined", ("reason", "PartnerAtCapacity"));
        await _kit.WaitForMailAsync(firstOffered == "busy" ? "spare@partners.example" : "busy@partners.example", "New ");

        // The other partner took the declined part a minute later, so the one who declined has waited longest.
        var secondId = await _kit.SubmitAsync(SampleRequests.Rfa("capacity-2"));
        Assert.Equal(firstOffered, PartnerOf(await _kit.GetReferralAsync(secondId)));
        await RespondAsync(firstOffered, "New ", "decline", expected: "Refused", count: 2, ("reason", "PartnerAtCapacity"));

        Assert.Equal((OrchestrationRuntimeStatus.Running, "Offered"), await StateAsync(secondId));
        Assert.Equal(firstOffered, PartnerOf(await _kit.GetReferralAsync(secondId)));
    }

    [Fact]
    public async Task A_deadline_timer_that_fires_before_the_deadline_waits_again_and_the_first_after_it_times_the_offer_out()
    {
        // The offer's deadline, on the app's clock set back 3 weeks, is in real time's past: its durable timer fires
        // at once, before the deadline on the app's clock, and again and again until the app's clock reaches it.
        _clock.AdjustTime(FridayAfternoonThreeWeeksAgo());
        var (id, first, second) = await OfferedToOneOfTwoAsync("timeout");
        var part = ReferralTestKit.Part(await _kit.GetReferralAsync(id), "p1");
        var due = part.GetProperty("dueAt").GetDateTimeOffset();
        Assert.True(due < DateTimeOffset.UtcNow, $"The deadline {due:O} should be in real time's past.");

        var stepped = await _kit.WorkflowUpdatedAtAsync(id);
        await Eventually.Returns(() => _kit.WorkflowUpdatedAtAsync(id), updated => updated > stepped.AddSeconds(2));
        var early = await _kit.GetReferralAsync(id);
        Assert.Equal((first, 1), (PartnerOf(early), ReferralTestKit.Part(early, "p1").GetProperty("attempts").GetInt32()));

        _clock.SetUtcNow(due);

        await _kit.WaitForMailAsync($"{first}@partners.example", "reassigned");
        await _kit.WaitForMailAsync($"{second}@partners.example", "New ");
        var history = (await _kit.GetReferralAsync(id)).GetProperty("history").EnumerateArray();
        Assert.Single(history, entry => entry.GetProperty("kind").GetString() == "TimedOut");
    }

    [Fact]
    public async Task A_split_referral_waits_on_its_parts_side_by_side_and_only_the_part_that_times_out_is_reassigned()
    {
        _clock.AdjustTime(FridayAfternoonThreeWeeksAgo());
        await _kit.PutPartnerAsync("mail", partner => partner["endorsements"] = new JsonArray("ExchangeOnline"));
        await _kit.PutPartnerAsync("chat", partner => partner["endorsements"] = new JsonArray("Teams"));
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("split", "ExchangeOnline", "Teams"));
        var parts = (await _kit.GetReferralAsync(id)).GetProperty("parts").EnumerateArray().ToList();
        var chatPart = parts.Single(part => part.GetProperty("partnerId").GetString() == "chat");
        var mailPart = parts.Single(part => part.GetProperty("partnerId").GetString() == "mail");
        await _kit.PutPartnerAsync("chat2", partner => partner["endorsements"] = new JsonArray("Teams"));

        await RespondAsync("mail", "New ", "accept", expected: "Accepted");
        _clock.SetUtcNow(chatPart.GetProperty("dueAt").GetDateTimeOffset());

        await _kit.WaitForMailAsync("chat2@partners.example", "New ");
        var referral = await _kit.GetReferralAsync(id);
        Assert.Equal(
            [(mailPart.GetProperty("id").GetString(), "mail", "Active"), (chatPart.GetProperty("id").GetString(), "chat2", "Offered")],
            referral.GetProperty("parts").EnumerateArray()
                .Select(part => (part.GetProperty("id").GetString(), part.GetProperty("partnerId").GetString(), part.GetProperty("status").GetString()))
                .OrderBy(part => part.Item2 == "mail" ? 0 : 1));
        Assert.Equal((OrchestrationRuntimeStatus.Running, "Offered"), await StateAsync(id));
    }

    [Fact]
    public async Task After_five_reassignments_the_next_decline_sends_the_part_to_the_processing_team_and_ends_the_workflow_Unmatched()
    {
        var partners = Enumerable.Range(1, 7).Select(n => $"partner{n}").ToList();
        foreach (var partner in partners)
        {
            await _kit.PutPartnerAsync(partner);
        }

        var id = await _kit.SubmitAsync(SampleRequests.Rfa("exhausted"));
        for (var offer = 1; offer <= 6; offer++)
        {
            var referral = await Eventually.Returns(
                () => _kit.GetReferralAsync(id), r => ReferralTestKit.Part(r, "p1").GetProperty("attempts").GetInt32() == offer);
            await RespondAsync(PartnerOf(referral), "New ", "decline", expected: "Declined", ("reason", "CustomerUnresponsive"));
        }

        var done = await WaitForStateAsync(id, OrchestrationRuntimeStatus.Completed, "Unmatched");
        Assert.Equal(ReferralStatus.Unmatched, done.ReadOutputAs<ReferralStatus?>());
        var escalation = await _kit.WaitForMailAsync("referral-processing@contoso.com", "Escalation");
        Assert.Contains("reassigned 5 times", escalation.GetProperty("html").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_partner_to_match_the_referral_goes_to_the_processing_team_at_once_and_the_workflow_ends_Unmatched()
    {
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("nobody"));

        var done = await WaitForStateAsync(id, OrchestrationRuntimeStatus.Completed, "Unmatched");
        Assert.Equal(ReferralStatus.Unmatched, done.ReadOutputAs<ReferralStatus?>());
        await _kit.WaitForMailAsync("referral-processing@contoso.com", "Escalation");
    }

    [Fact]
    public async Task A_decline_after_acceptance_reassigns_the_part_and_the_workflow_waits_on_the_new_offer()
    {
        var (id, first, second) = await OfferedToOneOfTwoAsync("decline-after-accept");
        await RespondAsync(first, "New ", "accept", expected: "Accepted");
        await WaitForStateAsync(id, OrchestrationRuntimeStatus.Running, "Active");

        await RespondAsync(first, "accepted", "decline", expected: "Declined", ("reason", "CustomerUnresponsive"));

        await RespondAsync(second, "New ", "accept", expected: "Accepted");
        await WaitForStateAsync(id, OrchestrationRuntimeStatus.Running, "Active");
    }

    [Fact]
    public async Task A_response_event_that_comes_again_is_acted_on_once()
    {
        await _kit.PutPartnerAsync("alpha");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa("duplicate"));
        await RespondAsync("alpha", "New ", "accept", expected: "Accepted");
        await WaitForStateAsync(id, OrchestrationRuntimeStatus.Running, "Active");
        await _kit.WaitForMailAsync(CustomerMail, ReferralEmails.CustomerNoticeSubject);
        var version = (await _kit.GetReferralAsync(id)).GetProperty("history").GetArrayLength();

        var before = await _kit.WorkflowUpdatedAtAsync(id);
        await ReferralWorkflow.SignalResponseAsync(_kit.Workflows, id, "p1", 1, version, CancellationToken.None);
        await ReferralWorkflow.SignalResponseAsync(_kit.Workflows, id, "p1", 1, version, CancellationToken.None);
        await Eventually.Returns(() => _kit.WorkflowUpdatedAtAsync(id), updated => updated > before);

        var mails = await _kit.MailboxAsync();
        Assert.Single(mails, mail => mail.GetProperty("subject").GetString()!.StartsWith("Referral accepted", StringComparison.Ordinal));
        Assert.Single(mails, mail => mail.GetProperty("subject").GetString() == ReferralEmails.CustomerNoticeSubject);
        Assert.Equal((OrchestrationRuntimeStatus.Running, "Active"), await StateAsync(id));
    }

    /// <summary>Two partners; an RFA offered to one of them (round robin picks which): the referral and who is first and second.</summary>
    private async Task<(string Id, string First, string Second)> OfferedToOneOfTwoAsync(string submissionId)
    {
        await _kit.PutPartnerAsync("first");
        await _kit.PutPartnerAsync("second");
        var id = await _kit.SubmitAsync(SampleRequests.Rfa(submissionId));
        var offered = PartnerOf(await _kit.GetReferralAsync(id));
        return (id, offered, offered == "first" ? "second" : "first");
    }

    private Task RespondAsync(string partner, string subject, string action, string expected, params (string Name, string Value)[] fields) =>
        RespondAsync(partner, subject, action, expected, 1, fields);

    /// <summary>Clicks <paramref name="action"/> in the <paramref name="count"/>-th mail to a partner with that subject.</summary>
    private async Task RespondAsync(
        string partner, string subject, string action, string expected, int count, params (string Name, string Value)[] fields)
    {
        var mail = await _kit.WaitForMailAsync($"{partner}@partners.example", subject, count);
        var (status, outcome) = await _kit.ActAsync(ReferralTestKit.LinkIn(mail), action, fields);
        Assert.Equal(expected, outcome.GetProperty("outcome").GetString());
        Assert.Equal(expected == "Refused" ? HttpStatusCode.Conflict : HttpStatusCode.OK, status);
    }

    private static string PartnerOf(JsonElement referral) => ReferralTestKit.Part(referral, "p1").GetProperty("partnerId").GetString()!;

    private async Task<(OrchestrationRuntimeStatus, string?)> StateAsync(string id)
    {
        var workflow = await _kit.WorkflowAsync(id);
        return (workflow.RuntimeStatus, workflow.ReadCustomStatusAs<string>());
    }

    private async Task<OrchestrationMetadata> WaitForStateAsync(string id, OrchestrationRuntimeStatus status, string customStatus) =>
        await Eventually.Returns(
            () => _kit.WorkflowAsync(id),
            workflow => workflow.RuntimeStatus == status && workflow.ReadCustomStatusAs<string>() == customStatus);

    /// <summary>15:00 in New York on the Friday three weeks before today: the partners' deadlines are the next Tuesday at 15:00.</summary>
    private static DateTimeOffset FridayAfternoonThreeWeeksAgo()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-21);
        while (day.DayOfWeek != DayOfWeek.Friday)
        {
            day = day.AddDays(-1);
        }

        var local = day.ToDateTime(new TimeOnly(15, 0));
        return new DateTimeOffset(local, newYork.GetUtcOffset(local));
    }
}
