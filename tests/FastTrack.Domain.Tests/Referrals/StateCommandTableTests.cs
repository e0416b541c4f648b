using FastTrack.Domain.Catalog;
using FastTrack.Domain.Referrals;
using Xunit;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Referrals;

/// <summary>
/// One row per (part state, command): the command is the one its holder could still send — the current attempt and
/// partner, or for an Unmatched part the last partner's now-old attempt — and a timer fires at or after its deadline.
/// </summary>
public class StateCommandTableTests
{
    public enum Command
    {
        Submit,
        Accept,
        Decline,
        TimeOut,
        Complete,
        Escalate,
    }

    [Theory]
    [InlineData(PartStatus.Offered, Command.Submit, DecisionOutcome.AlreadyDone, PartStatus.Offered)]
    [InlineData(PartStatus.Offered, Command.Accept, DecisionOutcome.Accepted, PartStatus.Active)]
    [InlineData(PartStatus.Offered, Command.Decline, DecisionOutcome.Declined, PartStatus.Offered)]
    [InlineData(PartStatus.Offered, Command.TimeOut, DecisionOutcome.TimedOut, PartStatus.Offered)]
    [InlineData(PartStatus.Offered, Command.Complete, DecisionOutcome.Refused, PartStatus.Offered)]
    [InlineData(PartStatus.Offered, Command.Escalate, DecisionOutcome.Escalated, PartStatus.Unmatched)]
    [InlineData(PartStatus.Active, Command.Submit, DecisionOutcome.AlreadyDone, PartStatus.Active)]
    [InlineData(PartStatus.Active, Command.Accept, DecisionOutcome.AlreadyDone, PartStatus.Active)]
    [InlineData(PartStatus.Active, Command.Decline, DecisionOutcome.Declined, PartStatus.Offered)]
    [InlineData(PartStatus.Active, Command.TimeOut, DecisionOutcome.Stale, PartStatus.Active)]
    [InlineData(PartStatus.Active, Command.Complete, DecisionOutcome.Completed, PartStatus.Completed)]
    [InlineData(PartStatus.Active, Command.Escalate, DecisionOutcome.Refused, PartStatus.Active)]
    [InlineData(PartStatus.Completed, Command.Submit, DecisionOutcome.AlreadyDone, PartStatus.Completed)]
    [InlineData(PartStatus.Completed, Command.Accept, DecisionOutcome.AlreadyDone, PartStatus.Completed)]
    [InlineData(PartStatus.Completed, Command.Decline, DecisionOutcome.Refused, PartStatus.Completed)]
    [InlineData(PartStatus.Completed, Command.TimeOut, DecisionOutcome.Stale, PartStatus.Completed)]
    [InlineData(PartStatus.Completed, Command.Complete, DecisionOutcome.AlreadyDone, PartStatus.Completed)]
    [InlineData(PartStatus.Completed, Command.Escalate, DecisionOutcome.Refused, PartStatus.Completed)]
    [InlineData(PartStatus.Unmatched, Command.Submit, DecisionOutcome.AlreadyDone, PartStatus.Unmatched)]
    [InlineData(PartStatus.Unmatched, Command.Accept, DecisionOutcome.Stale, PartStatus.Unmatched)]
    [InlineData(PartStatus.Unmatched, Command.Decline, DecisionOutcome.AlreadyDone, PartStatus.Unmatched)]
    [InlineData(PartStatus.Unmatched, Command.TimeOut, DecisionOutcome.Stale, PartStatus.Unmatched)]
    [InlineData(PartStatus.Unmatched, Command.Complete, DecisionOutcome.Stale, PartStatus.Unmatched)]
    [InlineData(PartStatus.Unmatched, Command.Escalate, DecisionOutcome.AlreadyDone, PartStatus.Unmatched)]
    public void Each_part_state_answers_each_command_as_the_lifecycle_says(PartStatus state, Command command, DecisionOutcome outcome, PartStatus after)
    {
        var (story, holder, attempt) = StoryIn(state);
        var before = story.State;
        story.Clock = Now.AddDays(30); // past every deadline

        var decision = story.Do(command switch
        {
            Command.Submit => new Submit(),
            Command.Accept => new Accept("p1", attempt, holder),
            Command.Decline => new Decline("p1", attempt, holder, DeclineReason.CustomerUnresponsive, null),
            Command.TimeOut => new TimeOut("p1", attempt),
            Command.Complete => new Complete("p1", attempt, holder, false, 0m, "USD", null),
            Command.Escalate => new Escalate("p1", "ops@microsoft.example", "partner unreachable"),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        });

        Assert.Equal(outcome, decision.Outcome);
        Assert.Equal(after, story.Part().Status);
        if (outcome is DecisionOutcome.AlreadyDone or DecisionOutcome.Stale)
        {
            Assert.Same(before, decision.State);
            Assert.False(decision.Changed);
        }
    }

    /// <summary>A one-part referral in the given state, with partners "a" (first choice) and "b" in the directory.</summary>
    private static (Story Story, string Holder, int Attempt) StoryIn(PartStatus state)
    {
        var a = Eligible("a");
        var b = Eligible("b") with { LastAssignedAt = Now.AddDays(-1) };
        if (state == PartStatus.Unmatched)
        {
            var alone = new Story(Request(), a);
            alone.Submit();
            alone.Decline();
            alone.Context = new Story(Request(), a, b).Context;
            return (alone, "a", 1);
        }

        var story = new Story(Request(), a, b);
        story.Submit();
        if (state is PartStatus.Active or PartStatus.Completed)
        {
            story.Accept();
        }

        if (state == PartStatus.Completed)
        {
            story.Complete();
        }

        Assert.Equal(state, story.Part().Status);
        return (story, story.Part().PartnerId!, story.Part().Attempt);
    }
}
