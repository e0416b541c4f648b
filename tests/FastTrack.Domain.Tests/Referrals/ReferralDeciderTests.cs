using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using Xunit;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Referrals;

public class ReferralDeciderTests
{
    private static Story TwoPartners() => new(Request(), Eligible("a"), Eligible("b") with { LastAssignedAt = Now.AddDays(-1) });

    [Fact]
    public void Submitting_offers_the_part_with_a_deadline_two_business_days_out_in_the_partners_zone()
    {
        var story = new Story(Request(), Eligible("a") with { TimeZone = "Europe/Berlin", HomeCountry = "DE", Countries = new HashSet<string> { "US" } });
        story.Clock = new DateTimeOffset(2026, 11, 13, 14, 0, 0, TimeSpan.Zero); // Friday 15:00 in Berlin

        var decision = story.Submit();

        var due = new DateTimeOffset(2026, 11, 17, 15, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal(DecisionOutcome.Submitted, decision.Outcome);
        Assert.Equal(ReferralStatus.Offered, story.State.Status);
        Assert.Equal(
            new AssignmentPart("p1", story.Part().Workloads, PartStatus.Offered, "a", 1, story.Clock, due, story.Part().DeclinedOrTimedOut),
            story.Part());
        Assert.Equal(
            [
                new RecordPartnerAssigned("a", story.Clock),
                new NotifyPartner("p1", 1, "a", due),
                new PublishEvent(HistoryKind.Submitted, null, ReferralStatus.Offered),
            ],
            decision.Effects);
        Assert.Equal(
            [HistoryKind.Submitted, HistoryKind.PartnerMatched, HistoryKind.Offered],
            decision.History.Select(h => h.Kind));
        Assert.Equal(MatchRule.RoundRobin.ToString(), decision.History[1].Reason);
    }

    [Fact]
    public void The_deadline_skips_the_partners_home_country_holidays()
    {
        var story = new Story(Request(), Eligible("a"));
        story.Context = story.Context with
        {
            HolidaysByCountry = new Dictionary<string, IReadOnlySet<DateOnly>> { ["US"] = new HashSet<DateOnly> { new(2026, 11, 19) } },
        };

        story.Submit(); // Wednesday 09:00 in New York

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(-5)), story.Part().DueAt);
    }

    [Fact]
    public void Submitting_records_who_was_excluded_and_why()
    {
        var story = new Story(Request(), Eligible("a"), Eligible("paused") with { PausedUntil = Now.AddDays(3) });

        var excluded = Assert.Single(story.Submit().History, h => h.Kind == HistoryKind.PartnersExcluded);

        Assert.Equal(
            $"1 partner(s) serving US in en excluded (Paused 1); 0 other partner(s) do not serve US in en.\npaused: paused until {Now.AddDays(3):O}",
            excluded.Details);
        Assert.Equal(Actors.Matching, excluded.Actor);
    }

    [Fact]
    public void With_thousands_excluded_the_history_names_the_first_fifty_and_counts_the_rest()
    {
        var partners = Enumerable.Range(1, 1_000).Select(i => Eligible($"x{i:D4}", Workload.Intune)).Append(Eligible("a")).ToArray();
        var story = new Story(Request(), partners);

        var details = Assert.Single(story.Submit().History, h => h.Kind == HistoryKind.PartnersExcluded).Details!;

        var lines = details.Split('\n');
        Assert.StartsWith("1000 partner(s) serving US in en excluded (NotEndorsed 1000)", lines[0], StringComparison.Ordinal);
        Assert.Equal(1 + ProgramRules.MaxExclusionsListedInHistory + 1, lines.Length);
        Assert.Equal("x0001: not endorsed for Teams", lines[1]);
        Assert.Equal("… and 950 more.", lines[^1]);
    }

    [Fact]
    public void A_split_referral_gets_one_part_per_partner_and_an_unmatched_part_for_the_rest()
    {
        var story = new Story(
            Request(Workload.Teams, Workload.Intune, Workload.VivaGlint),
            Eligible("teams", Workload.Teams),
            Eligible("intune", Workload.Intune));

        var decision = story.Submit();

        Assert.Equal(["p1", "p2", "p3"], story.State.Parts.Select(p => p.Id));
        Assert.Equal([PartStatus.Offered, PartStatus.Offered, PartStatus.Unmatched], story.State.Parts.Select(p => p.Status));
        Assert.Equal([Workload.VivaGlint], story.Part("p3").Workloads);
        var escalation = Assert.Single(decision.Effects.OfType<EscalateToProcessingTeam>());
        Assert.Equal("p3", escalation.PartId);
        Assert.Equal(2, decision.Effects.OfType<NotifyPartner>().Count());
        Assert.Equal(ReferralStatus.Offered, story.State.Status);
    }

    [Fact]
    public void With_no_eligible_partner_the_referral_is_unmatched_and_escalated_never_routed_elsewhere()
    {
        var story = new Story(Request(), Eligible("a") with { Fpc = false });

        var decision = story.Submit();

        Assert.Equal(ReferralStatus.Unmatched, story.State.Status);
        Assert.Null(story.Part().PartnerId);
        Assert.Single(decision.Effects.OfType<EscalateToProcessingTeam>());
        Assert.Empty(decision.Effects.OfType<NotifyPartner>());
    }

    [Fact]
    public void A_benefit_referral_for_fewer_than_150_seats_is_refused_and_nothing_is_created()
    {
        var small = Request(ReferralType.Benefit, Segment.Commercial, Workload.Teams);
        small = small with { Customer = small.Customer with { Seats = ProgramRules.BenefitMinimumSeats - 1 } };
        var story = new Story(small, Eligible("a") with { MinSeats = 1 });

        Assert.Equal(DecisionOutcome.Refused, story.Submit().Outcome);
        Assert.Equal(ReferralStatus.Matching, story.State.Status);
        Assert.Empty(ReferralIntake.WhyNotAcceptable(small with { Customer = small.Customer with { Seats = ProgramRules.BenefitMinimumSeats } }));
    }

    [Fact]
    public void Accepting_activates_the_part_confirms_to_the_partner_and_tells_the_customer()
    {
        var story = TwoPartners();
        story.Submit();

        var decision = story.Accept();

        Assert.Equal(DecisionOutcome.Accepted, decision.Outcome);
        Assert.Equal(PartStatus.Active, story.Part().Status);
        Assert.Equal(ReferralStatus.Active, story.State.Status);
        Assert.Equal(
            [
                new SendAcceptanceConfirmation("p1", 1, "a"),
                new NotifyCustomerOfAssignment("p1", "a"),
                new PublishEvent(HistoryKind.Accepted, "p1", ReferralStatus.Active),
            ],
            decision.Effects);
        Assert.Equal(new HistoryEntry(Now, HistoryKind.Accepted, "partner:a", "a", "p1"), Assert.Single(decision.History));
    }

    [Fact]
    public void Accepting_twice_is_already_done_and_records_nothing()
    {
        var story = TwoPartners();
        story.Submit();
        story.Accept();

        var again = story.Accept();

        Assert.Equal(DecisionOutcome.AlreadyDone, again.Outcome);
        Assert.Empty(again.History);
        Assert.Empty(again.Effects);
    }

    [Fact]
    public void The_referral_is_active_only_once_every_part_is()
    {
        var story = new Story(Request(Workload.Teams, Workload.Intune), Eligible("teams", Workload.Teams), Eligible("intune", Workload.Intune));
        story.Submit();

        story.Accept("p1");
        Assert.Equal(ReferralStatus.Offered, story.State.Status);
        story.Accept("p2");
        Assert.Equal(ReferralStatus.Active, story.State.Status);
    }

    [Fact]
    public void A_command_from_another_partner_or_for_an_unknown_part_or_a_future_attempt_is_invalid()
    {
        var story = TwoPartners();
        story.Submit();

        Assert.Equal(DecisionOutcome.Invalid, story.Do(new Accept("p1", 1, "b")).Outcome);
        Assert.Equal(DecisionOutcome.Invalid, story.Do(new Accept("p9", 1, "a")).Outcome);
        Assert.Equal(DecisionOutcome.Invalid, story.Do(new Accept("p1", 2, "a")).Outcome);
        Assert.Equal(DecisionOutcome.Invalid, story.Do(new TimeOut("p1", 2)).Outcome);
        Assert.Equal(PartStatus.Offered, story.Part().Status);
    }

    [Theory]
    [InlineData(DeclineReason.CustomerPrefersFastTrackCenter, DeclineReasons.FastTrackCenterResponse)]
    [InlineData(DeclineReason.AccountTeamDeclinesPartner, DeclineReasons.AccountTeamResponse)]
    public void Declining_with_a_refused_reason_changes_nothing(DeclineReason reason, string response)
    {
        var story = TwoPartners();
        story.Submit();
        var before = story.State;

        var decision = story.Decline(reason);

        Assert.Equal(DecisionOutcome.Refused, decision.Outcome);
        Assert.Equal(response, decision.Message);
        Assert.Same(before, decision.State);
        Assert.Equal(HistoryKind.DeclineRefused, Assert.Single(decision.History).Kind);
        Assert.IsType<EscalateToProcessingTeam>(Assert.Single(decision.Effects));
    }

    [Fact]
    public void Partner_at_capacity_is_granted_once_per_partner_then_refused_with_advice_to_pause()
    {
        var story = TwoPartners();
        story.Submit();

        var first = story.Decline(DeclineReason.PartnerAtCapacity);
        Assert.Equal(DecisionOutcome.Declined, first.Outcome);
        Assert.Contains(new RecordCapacityDeclineUsed("a"), first.Effects);

        var used = new Story(Request(), Eligible("a") with { CapacityDeclineUsed = true }, Eligible("b"));
        used.Submit();
        var before = used.State;
        var second = used.Decline(DeclineReason.PartnerAtCapacity);

        Assert.Equal(DecisionOutcome.Refused, second.Outcome);
        Assert.Equal(DeclineReasons.CapacityResponse, second.Message);
        Assert.Contains("pause referrals", second.Message, StringComparison.Ordinal);
        Assert.Same(before, second.State);
        Assert.DoesNotContain(second.Effects, e => e is RecordCapacityDeclineUsed);
    }

    [Theory]
    [InlineData(DeclineReason.CannotDeliverBenefit)]
    [InlineData(DeclineReason.Other)]
    public void Declining_for_this_reason_needs_notes(DeclineReason reason)
    {
        var story = TwoPartners();
        story.Submit();

        Assert.Equal(DecisionOutcome.Invalid, story.Decline(reason, "  ").Outcome);
        Assert.Equal("a", story.Part().PartnerId);
        Assert.Equal(DecisionOutcome.Declined, story.Decline(reason, "no Viva Glint practice").Outcome);
    }

    [Theory]
    [InlineData(DeclineReason.CustomerWorkingWithAnotherPartner)]
    [InlineData(DeclineReason.CustomerUnresponsive)]
    [InlineData(DeclineReason.CustomerLegalOrPolitical)]
    [InlineData(DeclineReason.CustomerTypeNotSupported)]
    [InlineData(DeclineReason.LanguageNotSupported)]
    [InlineData(DeclineReason.PartnerAtCapacity)]
    public void Declining_for_a_granted_reason_needs_no_notes(DeclineReason reason)
    {
        var story = TwoPartners();
        story.Submit();

        Assert.Equal(DecisionOutcome.Declined, story.Decline(reason).Outcome);
    }

    [Fact]
    public void A_declined_part_goes_to_the_next_partner_with_a_new_attempt_and_the_old_link_goes_stale()
    {
        var story = TwoPartners();
        story.Submit();
        story.Clock = Now.AddHours(1);

        var decision = story.Decline(DeclineReason.CustomerTypeNotSupported);

        var part = story.Part();
        Assert.Equal(("b", 2, PartStatus.Offered), (part.PartnerId, part.Attempt, part.Status));
        Assert.Equal(["a"], part.DeclinedOrTimedOut);
        Assert.Equal(story.Clock, part.OfferedAt);
        Assert.Contains(new NotifyPartner("p1", 2, "b", part.DueAt!.Value), decision.Effects);
        Assert.Contains(new RecordPartnerAssigned("b", story.Clock), decision.Effects);
        var declined = decision.History[0];
        Assert.Equal((HistoryKind.Declined, "partner:a", "a", nameof(DeclineReason.CustomerTypeNotSupported)), (declined.Kind, declined.Actor, declined.PartnerId, declined.Reason));

        Assert.Equal(DecisionOutcome.Stale, story.Do(new Accept("p1", 1, "a")).Outcome);
        Assert.Equal(DecisionOutcome.AlreadyDone, story.Do(new Decline("p1", 1, "a", DeclineReason.CustomerUnresponsive, null)).Outcome);
        Assert.Equal(DecisionOutcome.Stale, story.Do(new TimeOut("p1", 1)).Outcome);
    }

    [Fact]
    public void A_partner_may_decline_after_accepting_and_the_part_is_offered_again()
    {
        var story = TwoPartners();
        story.Submit();
        story.Accept();

        var decision = story.Decline(DeclineReason.Other, "cannot staff it after all");

        Assert.Equal(DecisionOutcome.Declined, decision.Outcome);
        Assert.Equal(("b", PartStatus.Offered), (story.Part().PartnerId, story.Part().Status));
        Assert.Equal(ReferralStatus.Offered, story.State.Status);
    }

    [Fact]
    public void A_timer_that_fires_early_changes_nothing_and_asks_for_nothing()
    {
        var story = TwoPartners();
        story.Submit();
        var due = story.Part().DueAt!.Value;
        story.Clock = due.AddSeconds(-1);

        var decision = story.Do(new TimeOut("p1", 1));

        Assert.Equal(DecisionOutcome.NotYetDue, decision.Outcome);
        Assert.False(decision.Changed);
        Assert.Empty(decision.Effects);
        Assert.Equal("a", story.Part().PartnerId);
    }

    [Fact]
    public void No_response_by_the_deadline_reassigns_the_part_tells_the_old_partner_and_says_timed_out()
    {
        var story = TwoPartners();
        story.Submit();

        var decision = story.TimeOut();

        Assert.Equal(DecisionOutcome.TimedOut, decision.Outcome);
        Assert.Equal(("b", 2), (story.Part().PartnerId, story.Part().Attempt));
        Assert.Contains(new NotifyReassignedAfterTimeout("p1", "a"), decision.Effects);
        var timedOut = decision.History[0];
        Assert.Equal((HistoryKind.TimedOut, Actors.SlaTimer, "a", "timed out"), (timedOut.Kind, timedOut.Actor, timedOut.PartnerId, timedOut.Reason));
        Assert.Equal(DecisionOutcome.Stale, story.Do(new TimeOut("p1", 1)).Outcome);
    }

    [Fact]
    public void Accepting_late_but_before_the_timer_fires_still_counts()
    {
        var story = TwoPartners();
        story.Submit();
        story.Clock = story.Part().DueAt!.Value.AddMinutes(5);

        Assert.Equal(DecisionOutcome.Accepted, story.Accept().Outcome);
        Assert.Equal(DecisionOutcome.Stale, story.Do(new TimeOut("p1", 1)).Outcome);
    }

    [Fact]
    public void After_five_reassignments_the_part_is_unmatched_and_escalated()
    {
        var partners = Enumerable.Range(1, 8).Select(i => Eligible($"p{i}") with { LastAssignedAt = Now.AddDays(-10 + i) }).ToArray();
        var story = new Story(Request(), partners);
        story.Submit();

        for (var reassignment = 1; reassignment <= ProgramRules.MaxReassignmentsPerPart; reassignment++)
        {
            story.Decline();
            Assert.Equal(PartStatus.Offered, story.Part().Status);
            Assert.Equal(reassignment, story.Part().Reassignments);
        }

        var sixth = story.Decline();

        Assert.Equal(PartStatus.Unmatched, story.Part().Status);
        Assert.Equal(ReferralStatus.Unmatched, story.State.Status);
        var escalation = Assert.Single(sixth.Effects.OfType<EscalateToProcessingTeam>());
        Assert.Contains("5 times", escalation.Reason, StringComparison.Ordinal);
        Assert.Empty(sixth.Effects.OfType<NotifyPartner>());
        Assert.Equal(6, story.State.Parts.Single().DeclinedOrTimedOut.Count);
    }

    [Fact]
    public void When_no_eligible_partner_is_left_the_part_is_unmatched_and_escalated()
    {
        var story = TwoPartners();
        story.Submit();
        story.Decline();

        var decision = story.TimeOut();

        Assert.Equal(PartStatus.Unmatched, story.Part().Status);
        Assert.Null(story.Part().PartnerId);
        Assert.Contains("no eligible partner is left", Assert.Single(decision.Effects.OfType<EscalateToProcessingTeam>()).Reason, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], story.Part().DeclinedOrTimedOut.Order());
    }

    [Fact]
    public void Reassignment_skips_partners_who_became_ineligible_since_submission()
    {
        var story = new Story(Request(), Eligible("a"), Eligible("b") with { LastAssignedAt = Now.AddDays(-2) }, Eligible("c") with { LastAssignedAt = Now.AddDays(-1) });
        story.Submit();
        story.Context = story.Context with
        {
            Partners = Directory(Eligible("a"), Eligible("b") with { PausedUntil = Now.AddDays(5) }, Eligible("c") with { LastAssignedAt = Now.AddDays(-1) }),
        };

        story.Decline();

        Assert.Equal("c", story.Part().PartnerId);
    }

    [Fact]
    public void Completing_records_the_engagement_and_completes_the_referral_when_every_part_is_complete()
    {
        var story = new Story(Request(Workload.Teams, Workload.Intune), Eligible("teams", Workload.Teams), Eligible("intune", Workload.Intune));
        story.Submit();
        story.Accept("p1");
        story.Accept("p2");

        var first = story.Complete("p1");
        Assert.Equal(DecisionOutcome.Completed, first.Outcome);
        Assert.Equal(ReferralStatus.Active, story.State.Status);
        Assert.Equal(new Completion(true, 12_500m, "USD", "went well", Now), story.Part("p1").Completion);
        Assert.Contains(new SendCompletionReceipt("p1", "intune"), first.Effects);

        var last = story.Complete("p2");
        Assert.Equal(ReferralStatus.Completed, story.State.Status);
        Assert.Equal([HistoryKind.Completed, HistoryKind.ReferralCompleted], last.History.Select(h => h.Kind));
        Assert.Contains(new PublishEvent(HistoryKind.Completed, "p2", ReferralStatus.Completed), last.Effects);
    }

    [Theory]
    [InlineData(-1, "USD")]
    [InlineData(10, "usd")]
    [InlineData(10, "US")]
    public void Completing_needs_a_non_negative_value_and_an_iso_currency(int value, string currency)
    {
        var story = TwoPartners();
        story.Submit();
        story.Accept();

        Assert.Equal(DecisionOutcome.Invalid, story.Do(new Complete("p1", 1, "a", false, value, currency, null)).Outcome);
        Assert.Equal(PartStatus.Active, story.Part().Status);
    }

    [Fact]
    public void Escalating_an_offered_part_unassigns_it_and_makes_the_partners_link_stale()
    {
        var story = TwoPartners();
        story.Submit();

        var decision = story.Do(new Escalate("p1", "ops@microsoft.example", "partner mailbox bounces"));

        Assert.Equal(PartStatus.Unmatched, story.Part().Status);
        Assert.Equal(new EscalateToProcessingTeam("p1", "partner mailbox bounces"), Assert.Single(decision.Effects.OfType<EscalateToProcessingTeam>()));
        Assert.Equal("ops@microsoft.example", decision.History[0].Actor);
        Assert.Equal(DecisionOutcome.Stale, story.Do(new Accept("p1", 1, "a")).Outcome);
        Assert.Equal(DecisionOutcome.Invalid, story.Do(new Escalate("p1", "ops", " ")).Outcome);
    }

    [Fact]
    public void A_partner_was_notified_when_it_was_offered_the_part_it_holds()
    {
        var story = TwoPartners();
        story.Submit();
        story.Clock = Now.AddHours(3);
        story.Decline();

        Assert.Equal(Now.AddHours(3), story.State.NotifiedAt("b"));
        Assert.Null(story.State.NotifiedAt("a"));
    }

    [Fact]
    public void The_decider_never_mutates_the_state_it_was_given()
    {
        var story = TwoPartners();
        story.Submit();
        var before = story.State;
        var partBefore = before.Parts[0];

        story.Decline();

        Assert.Equal(PartStatus.Offered, partBefore.Status);
        Assert.Equal("a", before.Parts[0].PartnerId);
        Assert.Empty(partBefore.DeclinedOrTimedOut);
    }
}
