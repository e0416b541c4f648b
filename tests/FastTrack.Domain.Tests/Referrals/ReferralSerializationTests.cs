using System.Text.Json;
using FastTrack.Domain.Referrals;
using FastTrack.Domain.Vouchers;
using Xunit;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Referrals;

/// <summary>The workflow stores the state as JSON between commands: it must come back the same and keep working.</summary>
public class ReferralSerializationTests
{
    private static readonly JsonSerializerOptions Json = DomainJson.Options;

    [Fact]
    public void A_referral_survives_a_json_round_trip_and_the_decider_carries_on_from_it()
    {
        var story = new Story(Request(Catalog.Workload.Teams).WithClaims(("a", [Catalog.Workload.Teams])), Eligible("a"), Eligible("b"));
        story.Submit();
        story.Decline();
        var json = JsonSerializer.Serialize(story.State, Json);

        var restored = JsonSerializer.Deserialize<Referral>(json, Json)!;

        Assert.Equal(json, JsonSerializer.Serialize(restored, Json));
        var part = restored.FindPart("p1")!;
        var accepted = ReferralDecider.Decide(restored, new Accept("p1", part.Attempt, part.PartnerId!), Now, story.Context);
        Assert.Equal(DecisionOutcome.Accepted, accepted.Outcome);
        Assert.Equal(DecisionOutcome.AlreadyDone, ReferralDecider.Decide(restored, new Decline("p1", 1, "a", Catalog.DeclineReason.Other, "x"), Now, story.Context).Outcome);
    }

    [Fact]
    public void Commands_and_effects_round_trip_with_their_kind_named()
    {
        ReferralCommand command = new Decline("p1", 2, "a", Catalog.DeclineReason.Other, "notes");
        ReferralEffect effect = new NotifyPartner("p1", 2, "a", Now);

        var commandJson = JsonSerializer.Serialize(command, Json);
        var effectJson = JsonSerializer.Serialize(effect, Json);

        Assert.Equal("""{"command":"Decline","partId":"p1","attempt":2,"partnerId":"a","reason":"Other","notes":"notes"}""", commandJson);
        Assert.Equal(command, JsonSerializer.Deserialize<ReferralCommand>(commandJson, Json));
        Assert.Equal(effect, JsonSerializer.Deserialize<ReferralEffect>(effectJson, Json));
        Assert.StartsWith("""{"effect":"NotifyPartner",""", effectJson, StringComparison.Ordinal);
    }

    [Fact]
    public void A_voucher_survives_a_json_round_trip()
    {
        var voucher = Voucher.Issue("v1", "r1", Vouchers.VoucherEligibilityTests.Nomination(), Now)
            .Submit("sow", new RedemptionSubmission(RedemptionKind.Sow, "SOW-2023", true, true, false, null, new HashSet<Catalog.Workload> { Catalog.Workload.Teams }, new RedemptionDocument("sow.pdf", "abc", 10)), Now, Domain.Calendar.BusinessCalendar.For("UTC", new HashSet<DateOnly>()), VoucherOptions.Default)
            .Voucher;
        var json = JsonSerializer.Serialize(voucher, Json);

        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize<Voucher>(json, Json), Json));
    }
}
