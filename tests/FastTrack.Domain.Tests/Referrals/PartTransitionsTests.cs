using FastTrack.Domain.Referrals;
using Xunit;

namespace FastTrack.Domain.Tests.Referrals;

public class PartTransitionsTests
{
    [Theory]
    [InlineData(null, PartStatus.Offered, true)]
    [InlineData(null, PartStatus.Active, false)]
    [InlineData(null, PartStatus.Completed, false)]
    [InlineData(null, PartStatus.Unmatched, true)]
    [InlineData(PartStatus.Offered, PartStatus.Offered, true)]
    [InlineData(PartStatus.Offered, PartStatus.Active, true)]
    [InlineData(PartStatus.Offered, PartStatus.Completed, false)]
    [InlineData(PartStatus.Offered, PartStatus.Unmatched, true)]
    [InlineData(PartStatus.Active, PartStatus.Offered, true)]
    [InlineData(PartStatus.Active, PartStatus.Active, false)]
    [InlineData(PartStatus.Active, PartStatus.Completed, true)]
    [InlineData(PartStatus.Active, PartStatus.Unmatched, true)]
    [InlineData(PartStatus.Completed, PartStatus.Offered, false)]
    [InlineData(PartStatus.Completed, PartStatus.Active, false)]
    [InlineData(PartStatus.Completed, PartStatus.Completed, false)]
    [InlineData(PartStatus.Completed, PartStatus.Unmatched, false)]
    [InlineData(PartStatus.Unmatched, PartStatus.Offered, false)]
    [InlineData(PartStatus.Unmatched, PartStatus.Active, false)]
    [InlineData(PartStatus.Unmatched, PartStatus.Completed, false)]
    [InlineData(PartStatus.Unmatched, PartStatus.Unmatched, false)]
    public void The_transition_table_allows_exactly_the_lifecycle_of_SPEC_6(PartStatus? from, PartStatus to, bool allowed) =>
        Assert.Equal(allowed, PartTransitions.IsValid(from, to));

    [Fact]
    public void A_forbidden_transition_names_the_referral_the_part_and_both_states()
    {
        var error = new InvalidPartTransitionException("r1", "p2", PartStatus.Completed, PartStatus.Offered);

        Assert.Equal(("r1", "p2", PartStatus.Completed, PartStatus.Offered), (error.ReferralId, error.PartId, error.From, error.To));
        Assert.Contains("Completed → Offered", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new PartStatus[0], ReferralStatus.Matching)]
    [InlineData(new[] { PartStatus.Offered, PartStatus.Unmatched, PartStatus.Active }, ReferralStatus.Offered)]
    [InlineData(new[] { PartStatus.Unmatched, PartStatus.Active, PartStatus.Completed }, ReferralStatus.Unmatched)]
    [InlineData(new[] { PartStatus.Completed, PartStatus.Completed }, ReferralStatus.Completed)]
    [InlineData(new[] { PartStatus.Active, PartStatus.Completed }, ReferralStatus.Active)]
    [InlineData(new[] { PartStatus.Active }, ReferralStatus.Active)]
    public void The_referral_status_is_derived_from_its_parts(PartStatus[] parts, ReferralStatus expected)
    {
        var referral = Referral.Received("r1", Partners.Request()) with
        {
            Parts = parts.Select((s, i) => new AssignmentPart($"p{i + 1}", new HashSet<Catalog.Workload>(), s, null, 1, null, null, new HashSet<string>())).ToList(),
        };

        Assert.Equal(expected, referral.Status);
    }
}
