using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Partners;
using FastTrack.Domain.Referrals;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Referrals;

/// <summary>A referral driven through the decider one command at a time, keeping the state each decision returns.</summary>
internal sealed class Story
{
    public Story(MatchRequest request, params PartnerProfile[] partners)
    {
        State = Referral.Received("r1", request);
        Context = new ReferralContext(Directory(partners), new Dictionary<string, IReadOnlySet<DateOnly>>());
    }

    public Referral State { get; private set; }

    public ReferralContext Context { get; set; }

    public DateTimeOffset Clock { get; set; } = Now;

    public Decision Last { get; private set; } = null!;

    public AssignmentPart Part(string id = "p1") => State.FindPart(id)!;

    public Decision Do(ReferralCommand command)
    {
        Last = ReferralDecider.Decide(State, command, Clock, Context);
        State = Last.State;
        return Last;
    }

    public Decision Submit() => Do(new Submit());

    public Decision Accept(string partId = "p1") => Do(new Accept(partId, Part(partId).Attempt, Part(partId).PartnerId!));

    public Decision Decline(DeclineReason reason = DeclineReason.CustomerUnresponsive, string? notes = null, string partId = "p1") =>
        Do(new Decline(partId, Part(partId).Attempt, Part(partId).PartnerId!, reason, notes));

    public Decision Complete(string partId = "p1") =>
        Do(new Complete(partId, Part(partId).Attempt, Part(partId).PartnerId!, true, 12_500m, "USD", "went well"));

    public Decision TimeOut(string partId = "p1")
    {
        Clock = Part(partId).DueAt!.Value;
        return Do(new TimeOut(partId, Part(partId).Attempt));
    }
}
