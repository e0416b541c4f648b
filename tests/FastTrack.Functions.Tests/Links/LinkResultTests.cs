using FastTrack.Domain.Referrals;
using FastTrack.Functions.Links;
using Xunit;

namespace FastTrack.Functions.Tests.Links;

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
}
