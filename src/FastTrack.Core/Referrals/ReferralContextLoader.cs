using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Calendars;
using FastTrack.Core.Partners;

namespace FastTrack.Core.Referrals;

/// <summary>
/// What each decision needs from outside the referral: every partner as stored now (round robin must see the latest
/// lastAssignedAt, so nothing is cached) and the holiday calendars.
/// </summary>
public sealed class ReferralContextLoader(PartnerStore partners, HolidayStore holidays)
{
    public async Task<ReferralContext> LoadAsync(CancellationToken cancellationToken)
    {
        var profiles = partners.ListAsync(cancellationToken);
        var calendars = holidays.AllAsync(cancellationToken);
        return new ReferralContext(new PartnerDirectory(await profiles), await calendars);
    }
}
