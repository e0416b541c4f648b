using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;

namespace FastTrack.Domain.Referrals;

/// <summary>
/// The referral lifecycle (SPEC §5, §6) as one pure function: state + command + now → outcome, new state, history
/// and effects. It never reads a clock or performs I/O; the workflow runner commits what it returns.
/// </summary>
public static class ReferralDecider
{
    public static Decision Decide(Referral state, ReferralCommand command, DateTimeOffset now, ReferralContext context)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(context);
        var draft = new Draft(state, now, context);
        return command switch
        {
            Submit => DecideSubmit(draft),
            Accept accept => DecideAccept(draft, accept),
            Decline decline => DecideDecline(draft, decline),
            TimeOut timeOut => DecideTimeOut(draft, timeOut),
            Complete complete => DecideComplete(draft, complete),
            Escalate escalate => DecideEscalate(draft, escalate),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown referral command."),
        };
    }

    private static Decision DecideSubmit(Draft d)
    {
        if (d.State.Parts.Count > 0)
        {
            return d.Nothing(DecisionOutcome.AlreadyDone, "The referral has already been matched.");
        }

        var problems = ReferralIntake.WhyNotAcceptable(d.State.Request);
        if (problems.Count > 0)
        {
            return d.Nothing(DecisionOutcome.Refused, string.Join(" ", problems));
        }

        var match = Matcher.Match(d.Context.Partners, d.State.Request, d.Now);
        d.Record(HistoryKind.Submitted, Actors.Matching);
        RecordExclusions(d, match);
        var number = 0;
        foreach (var matched in match.Parts)
        {
            var part = NewPart(++number, matched.Workloads);
            d.Record(HistoryKind.PartnerMatched, Actors.Matching, matched.Partner.Id, part.Id, matched.Rule.ToString(), matched.Explanation);
            Offer(d, part, null, matched);
        }

        if (match.UnmatchedWorkloads.Count > 0)
        {
            var part = NewPart(++number, match.UnmatchedWorkloads);
            var why = match.Parts.Count == 0
                ? "no eligible partner"
                : $"no eligible partner within {ProgramRules.MaxPartsPerReferral} parts is endorsed for these workloads";
            GoUnmatched(d, part, null, $"{why}: {string.Join(", ", part.Workloads.Order())}");
        }

        return d.Done(DecisionOutcome.Submitted, "The referral was matched.", HistoryKind.Submitted, null);
    }

    private static Decision DecideAccept(Draft d, Accept command)
    {
        if (Addressee(d, command.PartId, command.Attempt, command.PartnerId) is { } refusal)
        {
            return refusal;
        }

        var part = d.State.FindPart(command.PartId)!;
        if (part.Status != PartStatus.Offered)
        {
            return d.Nothing(DecisionOutcome.AlreadyDone, $"You have already accepted this referral; it is {part.Status}.");
        }

        d.Replace(part, part with { Status = PartStatus.Active });
        d.Record(HistoryKind.Accepted, Actors.Partner(command.PartnerId), command.PartnerId, part.Id);
        d.Do(new SendAcceptanceConfirmation(part.Id, part.Attempt, command.PartnerId));
        d.Do(new NotifyCustomerOfAssignment(part.Id, command.PartnerId));
        return d.Done(DecisionOutcome.Accepted, "Thank you: the referral is yours. The customer has been told.", HistoryKind.Accepted, part.Id);
    }

    private static Decision DecideDecline(Draft d, Decline command)
    {
        var part = d.State.FindPart(command.PartId);
        if (part is not null && command.Attempt < part.Attempt && part.DeclinedOrTimedOut.Contains(command.PartnerId))
        {
            return d.Nothing(DecisionOutcome.AlreadyDone, "This referral is no longer assigned to you.");
        }

        if (Addressee(d, command.PartId, command.Attempt, command.PartnerId) is { } refusal)
        {
            return refusal;
        }

        if (part!.Status == PartStatus.Completed)
        {
            return d.Nothing(DecisionOutcome.Refused, "The engagement is already complete and can no longer be declined.");
        }

        var partner = d.Context.Partners.Find(command.PartnerId);
        var refusedResponse = DeclineReasons.AlwaysRefusedResponse(command.Reason)
            ?? (command.Reason == DeclineReason.PartnerAtCapacity && partner?.CapacityDeclineUsed == true
                ? DeclineReasons.CapacityResponse
                : null);
        if (refusedResponse is not null)
        {
            // The part stays as it was; the processing team hears of the attempt (SPEC §1).
            d.Record(HistoryKind.DeclineRefused, Actors.Partner(command.PartnerId), command.PartnerId, part.Id, command.Reason.ToString(), command.Notes);
            d.Do(new EscalateToProcessingTeam(part.Id, $"Partner {command.PartnerId} tried to decline with a refused reason: {command.Reason}."));
            return d.Done(DecisionOutcome.Refused, refusedResponse, null, null);
        }

        if (DeclineReasons.RequiresNotes(command.Reason) && string.IsNullOrWhiteSpace(command.Notes))
        {
            return d.Nothing(DecisionOutcome.Invalid, $"Declining with {command.Reason} needs notes saying why.");
        }

        d.Record(HistoryKind.Declined, Actors.Partner(command.PartnerId), command.PartnerId, part.Id, command.Reason.ToString(), command.Notes);
        if (command.Reason == DeclineReason.PartnerAtCapacity)
        {
            d.Do(new RecordCapacityDeclineUsed(command.PartnerId));
        }

        Reassign(d, part, command.PartnerId);
        return d.Done(DecisionOutcome.Declined, "You have declined this referral.", HistoryKind.Declined, part.Id);
    }

    private static Decision DecideTimeOut(Draft d, TimeOut command)
    {
        var part = d.State.FindPart(command.PartId);
        if (part is null || command.Attempt > part.Attempt)
        {
            return d.Nothing(DecisionOutcome.Invalid, "No such assignment.");
        }

        if (command.Attempt < part.Attempt || part.Status != PartStatus.Offered)
        {
            return d.Nothing(DecisionOutcome.Stale, "The assignment was answered or has ended; the timer is ignored.");
        }

        if (d.Now < part.DueAt)
        {
            // A timer may fire early (durable timers by up to a second): the workflow waits again until the deadline.
            return d.Nothing(DecisionOutcome.NotYetDue, $"Not due until {part.DueAt:O}.");
        }

        var partnerId = part.PartnerId!;
        d.Record(HistoryKind.TimedOut, Actors.SlaTimer, partnerId, part.Id, "timed out", $"no response by {part.DueAt:O}");
        d.Do(new NotifyReassignedAfterTimeout(part.Id, partnerId));
        Reassign(d, part, partnerId);
        return d.Done(DecisionOutcome.TimedOut, "The partner did not respond in time; the part was reassigned.", HistoryKind.TimedOut, part.Id);
    }

    private static Decision DecideComplete(Draft d, Complete command)
    {
        if (Addressee(d, command.PartId, command.Attempt, command.PartnerId) is { } refusal)
        {
            return refusal;
        }

        var part = d.State.FindPart(command.PartId)!;
        switch (part.Status)
        {
            case PartStatus.Completed:
                return d.Nothing(DecisionOutcome.AlreadyDone, "The engagement is already marked complete.");
            case PartStatus.Offered:
                return d.Nothing(DecisionOutcome.Refused, "Accept the referral before marking the engagement complete.");
        }

        if (command.EstimatedValue < 0 || command.Currency is not { Length: 3 } || !command.Currency.All(char.IsAsciiLetterUpper))
        {
            return d.Nothing(DecisionOutcome.Invalid, "The estimated value must be zero or more, with an ISO 4217 currency code such as USD.");
        }

        var completion = new Completion(command.ValueAddedServicesSold, command.EstimatedValue, command.Currency, command.Notes, d.Now);
        d.Replace(part, part with { Status = PartStatus.Completed, Completion = completion });
        d.Record(HistoryKind.Completed, Actors.Partner(command.PartnerId), command.PartnerId, part.Id, null,
            $"value-added services sold: {(command.ValueAddedServicesSold ? "yes" : "no")}; estimated value {command.EstimatedValue} {command.Currency}");
        d.Do(new SendCompletionReceipt(part.Id, command.PartnerId));
        if (d.State.Status == ReferralStatus.Completed)
        {
            d.Record(HistoryKind.ReferralCompleted, Actors.Partner(command.PartnerId));
        }

        return d.Done(DecisionOutcome.Completed, "Thank you: the engagement is marked complete.", HistoryKind.Completed, part.Id);
    }

    private static Decision DecideEscalate(Draft d, Escalate command)
    {
        var part = d.State.FindPart(command.PartId);
        if (part is null || string.IsNullOrWhiteSpace(command.Reason))
        {
            return d.Nothing(DecisionOutcome.Invalid, "Name an existing part and say why it is escalated.");
        }

        switch (part.Status)
        {
            case PartStatus.Unmatched:
                return d.Nothing(DecisionOutcome.AlreadyDone, "The part is already with the referral processing team.");
            case PartStatus.Active or PartStatus.Completed:
                return d.Nothing(DecisionOutcome.Refused, $"The part is {part.Status}: its partner holds it, and only the partner can decline it.");
        }

        d.Record(HistoryKind.Escalated, command.Actor, part.PartnerId, part.Id, command.Reason);
        GoUnmatched(d, part with { Attempt = part.Attempt + 1 }, part, command.Reason);
        return d.Done(DecisionOutcome.Escalated, "The part was escalated to the referral processing team.", HistoryKind.Escalated, part.Id);
    }

    /// <summary>Checks a partner command is addressed to the part's current assignment; null when it is.</summary>
    private static Decision? Addressee(Draft d, string partId, int attempt, string partnerId)
    {
        var part = d.State.FindPart(partId);
        if (part is null || attempt > part.Attempt)
        {
            return d.Nothing(DecisionOutcome.Invalid, "No such assignment.");
        }

        if (attempt < part.Attempt)
        {
            return d.Nothing(DecisionOutcome.Stale, "This link belongs to an earlier assignment that has ended.");
        }

        return string.Equals(part.PartnerId, partnerId, StringComparison.Ordinal)
            ? null
            : d.Nothing(DecisionOutcome.Invalid, "This assignment is not yours.");
    }

    /// <summary>The current partner declined or timed out: exclude it and offer the part to the next partner.</summary>
    private static void Reassign(Draft d, AssignmentPart part, string leavingPartnerId)
    {
        var excluded = part.DeclinedOrTimedOut.Append(leavingPartnerId).ToHashSet(StringComparer.Ordinal);
        var next = part with { Attempt = part.Attempt + 1, DeclinedOrTimedOut = excluded };
        if (excluded.Count > ProgramRules.MaxReassignmentsPerPart)
        {
            GoUnmatched(d, next, part, $"the part was already reassigned {ProgramRules.MaxReassignmentsPerPart} times");
            return;
        }

        var match = Matcher.MatchPart(d.Context.Partners, d.State.Request, part.Workloads, excluded, d.Now);
        RecordExclusions(d, match, part.Id);
        if (match.Parts.Count == 0)
        {
            GoUnmatched(d, next, part, "no eligible partner is left");
            return;
        }

        var matched = match.Parts[0];
        d.Record(HistoryKind.PartnerMatched, Actors.Matching, matched.Partner.Id, part.Id, matched.Rule.ToString(), matched.Explanation);
        Offer(d, next, part, matched);
    }

    private static void Offer(Draft d, AssignmentPart part, AssignmentPart? previous, MatchedPart matched)
    {
        // The SLA counts from the email; the workflow sends it moments after this commit, so the offer instant stands in.
        var dueAt = d.Context.CalendarFor(matched.Partner).AddBusinessTime(d.Now, ProgramRules.PartnerResponseTime);
        var offered = part with
        {
            Status = PartStatus.Offered,
            PartnerId = matched.Partner.Id,
            OfferedAt = d.Now,
            DueAt = dueAt,
        };
        d.Replace(previous, offered);
        d.Record(HistoryKind.Offered, Actors.Matching, matched.Partner.Id, part.Id, null, $"attempt {offered.Attempt}, due {dueAt:O}");
        d.Do(new RecordPartnerAssigned(matched.Partner.Id, d.Now));
        d.Do(new NotifyPartner(part.Id, offered.Attempt, matched.Partner.Id, dueAt));
    }

    private static void GoUnmatched(Draft d, AssignmentPart part, AssignmentPart? previous, string reason)
    {
        d.Replace(previous, part with { Status = PartStatus.Unmatched, PartnerId = null, OfferedAt = null, DueAt = null });
        d.Record(HistoryKind.Unmatched, Actors.Matching, null, part.Id, reason);
        d.Do(new EscalateToProcessingTeam(part.Id, reason));
    }

    /// <summary>
    /// One history entry saying who was excluded and why: a count per reason, then each excluded partner with all its
    /// reasons, up to <see cref="ProgramRules.MaxExclusionsListedInHistory"/> of them so the entry stays storable.
    /// </summary>
    private static void RecordExclusions(Draft d, MatchResult match, string? partId = null)
    {
        if (match.Exclusions.Count == 0 && match.PartnersNotServingCountryAndLanguage == 0)
        {
            return;
        }

        var customer = d.State.Request.Customer;
        var perReason = Enum.GetValues<Ineligibility>()
            .Where(reason => reason != Ineligibility.None)
            .Select(reason => (Reason: reason, Count: match.Exclusions.Count(e => e.Reasons.HasFlag(reason))))
            .Where(r => r.Count > 0)
            .Select(r => $"{r.Reason} {r.Count}");
        var lines = new List<string>
        {
            $"{match.Exclusions.Count} partner(s) serving {customer.Country} in {customer.Language} excluded ({string.Join(", ", perReason)}); " +
            $"{match.PartnersNotServingCountryAndLanguage} other partner(s) do not serve {customer.Country} in {customer.Language}.",
        };
        lines.AddRange(match.Exclusions.Take(ProgramRules.MaxExclusionsListedInHistory).Select(e => e.ToString()));
        if (match.Exclusions.Count > ProgramRules.MaxExclusionsListedInHistory)
        {
            lines.Add($"… and {match.Exclusions.Count - ProgramRules.MaxExclusionsListedInHistory} more.");
        }

        d.Record(HistoryKind.PartnersExcluded, Actors.Matching, null, partId, null, string.Join("\n", lines));
    }

    private static AssignmentPart NewPart(int number, IReadOnlySet<Workload> workloads) =>
        new($"p{number}", workloads, PartStatus.Unmatched, null, 1, null, null, new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Collects the new state, history and effects of one decision.</summary>
    private sealed class Draft(Referral original, DateTimeOffset now, ReferralContext context)
    {
        private readonly List<HistoryEntry> history = [];
        private readonly List<ReferralEffect> effects = [];
        private readonly Referral original = original;

        public Referral State { get; private set; } = original;

        public DateTimeOffset Now { get; } = now;

        public ReferralContext Context { get; } = context;

        public void Record(HistoryKind kind, string actor, string? partnerId = null, string? partId = null, string? reason = null, string? details = null) =>
            history.Add(new HistoryEntry(Now, kind, actor, partnerId, partId, reason, details));

        public void Do(ReferralEffect effect) => effects.Add(effect);

        /// <summary>Puts <paramref name="next"/> in place of <paramref name="previous"/> (null: a new part), guarded by the transition table.</summary>
        public void Replace(AssignmentPart? previous, AssignmentPart next)
        {
            if (!PartTransitions.IsValid(previous?.Status, next.Status))
            {
                throw new InvalidPartTransitionException(State.Id, next.Id, previous?.Status, next.Status);
            }

            var parts = State.Parts.ToList();
            var index = parts.FindIndex(p => string.Equals(p.Id, next.Id, StringComparison.Ordinal));
            if (index < 0)
            {
                parts.Add(next);
            }
            else
            {
                parts[index] = next;
            }

            State = State with { Parts = parts };
        }

        public Decision Nothing(DecisionOutcome outcome, string message) => new(outcome, message, original, [], []);

        public Decision Done(DecisionOutcome outcome, string message, HistoryKind? published, string? partId)
        {
            if (published is { } kind)
            {
                effects.Add(new PublishEvent(kind, partId, State.Status));
            }

            return new Decision(outcome, message, State, history, effects);
        }
    }
}
