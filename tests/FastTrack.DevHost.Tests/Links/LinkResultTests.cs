using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Links;
using Xunit;

namespace FastTrack.DevHost.Tests.Links;

public sealed class LinkResultTests
{
    [Theory]
    [InlineData(DecisionOutcome.Accepted, LinkOutcome.Accepted, 200, LinkResultPage.Result)]
    [InlineData(DecisionOutcome.Declined, LinkOutcome.Declined, 200, LinkResultPage.Result)]
    [InlineData(DecisionOutcome.Completed, LinkOutcome.Completed, 200, LinkResultPage.Result)]
    [InlineData(DecisionOutcome.AlreadyDone, LinkOutcome.AlreadyDone, 200, LinkResultPage.Result)]
    [InlineData(DecisionOutcome.Refused, LinkOutcome.Refused, 409, LinkResultPage.Result)]
    [InlineData(DecisionOutcome.Stale, LinkOutcome.Refused, 409, LinkResultPage.Superseded)]
    [InlineData(DecisionOutcome.Invalid, LinkOutcome.Invalid, 400, LinkResultPage.Invalid)]
    public void Each_decision_outcome_maps_to_its_API_outcome_and_status(DecisionOutcome decision, LinkOutcome outcome, int status, LinkResultPage page)
    {
        var result = LinkResult.ForDecision(decision, "message", ReferralStatus.Active);

        Assert.Equal((outcome, status, page, ReferralStatus.Active), (result.Outcome, result.StatusCode, result.Page, result.ReferralStatus));
        Assert.Equal(outcome is LinkOutcome.Accepted or LinkOutcome.Declined or LinkOutcome.Completed, result.ChangedSomething);
    }

    [Theory]
    [InlineData(DecisionOutcome.Submitted)]
    [InlineData(DecisionOutcome.TimedOut)]
    [InlineData(DecisionOutcome.Escalated)]
    [InlineData(DecisionOutcome.NotYetDue)]
    public void Outcomes_no_link_command_produces_are_a_bug(DecisionOutcome decision)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LinkResult.ForDecision(decision, "m", ReferralStatus.Active));
    }

    [Fact]
    public void Every_decision_outcome_is_either_mapped_or_refused()
    {
        foreach (var decision in Enum.GetValues<DecisionOutcome>())
        {
            try
            {
                Assert.InRange(LinkResult.ForDecision(decision, "m", ReferralStatus.Offered).StatusCode, 200, 499);
            }
            catch (ArgumentOutOfRangeException)
            {
                Assert.Contains(decision, new[] { DecisionOutcome.Submitted, DecisionOutcome.TimedOut, DecisionOutcome.Escalated, DecisionOutcome.NotYetDue });
            }
        }
    }

    [Fact]
    public void An_expired_link_is_410_and_says_when_it_expired()
    {
        var claims = new VoucherLinkClaims("v1", "contoso", new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero));

        var result = LinkResult.ForVerification(new LinkVerification.Expired(claims));

        Assert.Equal((LinkOutcome.Expired, 410, LinkResultPage.Expired), (result.Outcome, result.StatusCode, result.Page));
        Assert.Equal("This link expired on Tuesday 1 December 2026 at 08:30 UTC.", result.Message);
    }

    [Fact]
    public void An_invalid_link_is_404_and_does_not_repeat_the_technical_reason()
    {
        var result = LinkResult.ForVerification(new LinkVerification.Invalid("The signature does not match."));

        Assert.Equal((LinkOutcome.Invalid, 404, LinkResultPage.Invalid), (result.Outcome, result.StatusCode, result.Page));
        Assert.DoesNotContain("signature", result.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Form_problems_are_400_with_every_problem()
    {
        var binding = new LinkActionBinding(null, new Dictionary<string, string[]> { ["reason"] = ["a"], ["notes"] = ["b"] });

        var result = LinkResult.ForFormProblems(binding);

        Assert.Equal((LinkOutcome.Invalid, 400, "a b"), (result.Outcome, result.StatusCode, result.Message));
        Assert.Same(binding.Errors, result.Errors);
    }

    [Theory]
    [InlineData("r1", "p1", 2, "contoso", null)]
    [InlineData("r1", "p1", 1, "contoso", LinkResultPage.Superseded)]
    [InlineData("r1", "p1", 3, "contoso", LinkResultPage.Invalid)]
    [InlineData("r1", "p9", 2, "contoso", LinkResultPage.Invalid)]
    [InlineData("r1", "p1", 2, "fabrikam", LinkResultPage.Invalid)]
    public void Opening_a_link_shows_its_page_only_for_the_current_attempt_of_its_partner(string referralId, string partId, int attempt, string partnerId, LinkResultPage? instead)
    {
        var customer = new Customer("t", "tpid", "Contoso", "US", "en", Segment.Commercial, 500);
        var request = new MatchRequest(customer, ReferralType.Standard, new HashSet<Workload> { Workload.Teams }, new Dictionary<string, IReadOnlySet<Workload>>());
        var part = new AssignmentPart("p1", new HashSet<Workload> { Workload.Teams }, PartStatus.Offered, "contoso", 2, null, null, new HashSet<string>());
        var claims = new AssignmentLinkClaims(LinkPurpose.Respond, referralId, partId, attempt, partnerId, DateTimeOffset.UnixEpoch);

        var result = LinkResult.ForOpening(claims, new Referral(referralId, request, [part]));

        Assert.Equal(instead, result?.Page);
        Assert.Equal(instead is null ? null : instead == LinkResultPage.Superseded ? 409 : 404, result?.StatusCode);
    }

    [Fact]
    public void Opening_a_link_to_a_referral_that_does_not_exist_is_404()
    {
        var claims = new AssignmentLinkClaims(LinkPurpose.Respond, "r1", "p1", 1, "contoso", DateTimeOffset.UnixEpoch);

        Assert.Equal(404, LinkResult.ForOpening(claims, null)?.StatusCode);
    }
}
