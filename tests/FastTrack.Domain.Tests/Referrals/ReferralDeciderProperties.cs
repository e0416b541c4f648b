using FastTrack.Domain.Catalog;
using FastTrack.Domain.Partners;
using FastTrack.Domain.Referrals;
using FsCheck;
using FsCheck.Fluent;
using Xunit;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Referrals;

/// <summary>Random command sequences, including stale and repeated ones, against the lifecycle's invariants.</summary>
public class ReferralDeciderProperties
{
    private static readonly Workload[] Pool = [Workload.Teams, Workload.Intune, Workload.Purview];

    public enum Act
    {
        Accept,
        Decline,
        TimeOut,
        Complete,
        Escalate,
        ReplayOldAttempt,
    }

    public sealed record Move(Act Act, int Part, DeclineReason Reason, int Minutes);

    public sealed record Run(PartnerProfile[] Partners, Workload[] Requested, Move[] Steps)
    {
        public override string ToString() =>
            $"requested [{string.Join(",", Requested)}] partners {string.Join(" ", Partners.Select(p => $"{p.Id}{{{string.Join(",", p.Endorsements)}}}{(p.CapacityDeclineUsed ? " capacity-used" : "")}"))} " +
            $"steps {string.Join(" ", Steps.Select(s => $"{s.Act}(p{s.Part + 1},{s.Reason},+{s.Minutes}m)"))}";
    }

    private static readonly Gen<Run> Runs =
        from count in Gen.Choose(1, 7)
        from partners in Gen.CollectToArray(Enumerable.Range(1, count), i =>
            from endorsements in Gen.NonEmptyListOf(Gen.Elements(Pool))
            from capacityUsed in Gen.Elements(false, false, true)
            select Eligible($"p{i}", [.. endorsements.Distinct()]) with { CapacityDeclineUsed = capacityUsed })
        from requested in Gen.NonEmptyListOf(Gen.Elements(Pool))
        from steps in Gen.ListOf(
            from act in Gen.Elements(Enum.GetValues<Act>())
            from part in Gen.Choose(0, 3)
            from reason in Gen.Elements(Enum.GetValues<DeclineReason>())
            from minutes in Gen.Choose(0, 4 * 24 * 60)
            select new Move(act, part, reason, minutes))
        select new Run(partners, [.. requested.Distinct()], [.. steps]);

    [Fact]
    public void No_command_sequence_breaks_the_lifecycle_invariants() =>
        Properties.Hold(Runs, run =>
        {
            var story = new Story(Request(run.Requested), run.Partners);
            story.Submit();
            Check(story, story.Last);
            foreach (var step in run.Steps)
            {
                story.Clock = story.Clock.AddMinutes(step.Minutes);
                var part = story.State.Parts.ElementAtOrDefault(step.Part);
                if (part is null)
                {
                    continue;
                }

                var before = story.State;
                var holder = part.PartnerId ?? "nobody";
                var decision = story.Do(step.Act switch
                {
                    Act.Accept => new Accept(part.Id, part.Attempt, holder),
                    Act.Decline => new Decline(part.Id, part.Attempt, holder, step.Reason, step.Minutes % 2 == 0 ? "notes" : null),
                    Act.TimeOut => new TimeOut(part.Id, part.Attempt),
                    Act.Complete => new Complete(part.Id, part.Attempt, holder, true, 100m, "EUR", null),
                    Act.Escalate => new Escalate(part.Id, "ops", "stuck"),
                    _ => new Accept(part.Id, part.Attempt - 1, part.DeclinedOrTimedOut.FirstOrDefault() ?? holder),
                });

                if (decision.Outcome is DecisionOutcome.AlreadyDone or DecisionOutcome.Stale or DecisionOutcome.Invalid)
                {
                    Assert.Same(before, decision.State);
                    Assert.False(decision.Changed);
                }

                foreach (var (old, now) in before.Parts.Zip(story.State.Parts))
                {
                    Assert.True(now.Attempt >= old.Attempt, "attempts never go back");
                    Assert.True(old.Status == now.Status || PartTransitions.IsValid(old.Status, now.Status), $"{old.Status} → {now.Status}");
                    Assert.True(old.DeclinedOrTimedOut.IsSubsetOf(now.DeclinedOrTimedOut), "exclusions are never forgotten");
                }

                Check(story, decision);
            }
        }, tests: 500);

    private static void Check(Story story, Decision decision)
    {
        foreach (var part in story.State.Parts)
        {
            if (part.Status is PartStatus.Offered or PartStatus.Active or PartStatus.Completed)
            {
                var partner = story.Context.Partners.Find(part.PartnerId!)!;
                Assert.True(part.Workloads.All(partner.Endorsements.Contains), $"{partner.Id} is not endorsed for part {part.Id}");
                Assert.DoesNotContain(part.PartnerId!, part.DeclinedOrTimedOut);
            }
            else
            {
                Assert.Null(part.PartnerId);
            }

            Assert.True(part.Reassignments <= ProgramRules.MaxReassignmentsPerPart || part.Status == PartStatus.Unmatched);
            Assert.Equal(part.Status != PartStatus.Unmatched, part.DueAt is not null); // an accepted part keeps the deadline it met
        }

        foreach (var notify in decision.Effects.OfType<NotifyPartner>())
        {
            var part = story.State.FindPart(notify.PartId)!;
            Assert.Equal((part.PartnerId, part.Attempt, part.DueAt), (notify.PartnerId, notify.Attempt, notify.DueAt));
        }
    }
}
