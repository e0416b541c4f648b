using FastTrack.Domain.Catalog;
using FastTrack.Domain.Partners;

namespace FastTrack.Domain.Matching;

/// <summary>SPEC §5 rule 1: whether a partner may be given a set of workloads of a referral.</summary>
public static class Eligibility
{
    /// <summary>
    /// Every failing reason for giving <paramref name="workloads"/> (all of them) to the partner;
    /// <see cref="Ineligibility.None"/> when it is eligible. This answers "why not partner X?" for any partner.
    /// </summary>
    public static Ineligibility Check(
        PartnerProfile partner,
        MatchRequest request,
        IReadOnlySet<Workload> workloads,
        IReadOnlySet<string> excludedPartnerIds,
        DateTimeOffset now)
    {
        var reasons = CheckIgnoringEndorsements(partner, request, excludedPartnerIds, now);
        foreach (var workload in workloads)
        {
            if (!partner.Endorsements.Contains(workload))
            {
                return reasons | Ineligibility.NotEndorsed;
            }
        }

        return reasons;
    }

    /// <summary>
    /// Everything but endorsements, which splitting treats workload by workload. The matcher passes
    /// <paramref name="servesCountryAndLanguage"/> for partners its directory index already found serving both, to
    /// spare two string-hash lookups per partner (most of the cost of matching 10,000 partners).
    /// </summary>
    internal static Ineligibility CheckIgnoringEndorsements(
        PartnerProfile partner,
        MatchRequest request,
        IReadOnlySet<string> excludedPartnerIds,
        DateTimeOffset now,
        bool servesCountryAndLanguage = false)
    {
        var customer = request.Customer;
        var reasons = Ineligibility.None;
        if (!partner.Fpc)
        {
            reasons |= Ineligibility.NotFpc;
        }

        if (request.Type == ReferralType.Standard && !partner.ReferralReady)
        {
            reasons |= Ineligibility.NotReferralReady;
        }

        if (request.Type == ReferralType.Benefit)
        {
            if (!partner.Frp)
            {
                reasons |= Ineligibility.NotFrp;
            }

            if (!partner.BenefitReferrals)
            {
                reasons |= Ineligibility.NotOptedInForBenefit;
            }
        }

        if (partner.IsPaused(now))
        {
            reasons |= Ineligibility.Paused;
        }

        if (!servesCountryAndLanguage && !partner.Languages.Contains(customer.Language))
        {
            reasons |= Ineligibility.LanguageNotServed;
        }

        if (!servesCountryAndLanguage && !partner.ServesCountry(customer.Country))
        {
            reasons |= Ineligibility.CountryNotServed;
        }

        // Commercial customers need no opt-in; the three industries do.
        if (customer.Segment != Segment.Commercial && !partner.Industries.Contains(customer.Segment))
        {
            reasons |= Ineligibility.SegmentNotServed;
        }

        if (customer.Seats < partner.MinSeats || customer.Seats > partner.MaxSeats)
        {
            reasons |= Ineligibility.SeatsOutOfRange;
        }

        if (excludedPartnerIds.Count > 0 && excludedPartnerIds.Contains(partner.Id))
        {
            reasons |= Ineligibility.AlreadyDeclinedOrTimedOut;
        }

        return reasons;
    }

    /// <summary>One readable sentence per failing reason, for the referral's history.</summary>
    public static IReadOnlyList<string> Describe(
        Ineligibility reasons,
        PartnerProfile partner,
        MatchRequest request,
        IReadOnlySet<Workload> workloads)
    {
        var customer = request.Customer;
        var sentences = new List<string>();
        void Add(Ineligibility reason, Func<string> sentence)
        {
            if (reasons.HasFlag(reason))
            {
                sentences.Add(sentence());
            }
        }

        Add(Ineligibility.NotFpc, () => "not a FastTrack Partner Community member");
        Add(Ineligibility.NotReferralReady, () => "not opted in to Referral Ready");
        Add(Ineligibility.NotFrp, () => "not a FastTrack Ready Partner (needed for Benefit referrals)");
        Add(Ineligibility.NotOptedInForBenefit, () => "not opted in to FastTrack Benefit referrals");
        Add(Ineligibility.Paused, () => $"paused until {partner.PausedUntil:O}");
        Add(Ineligibility.LanguageNotServed, () => $"does not serve language {customer.Language}");
        Add(Ineligibility.CountryNotServed, () => $"does not serve country {customer.Country}");
        Add(Ineligibility.SegmentNotServed, () => $"does not serve the {customer.Segment} segment");
        Add(Ineligibility.SeatsOutOfRange, () => $"{customer.Seats} seats is outside its range {partner.MinSeats}–{partner.MaxSeats}");
        Add(Ineligibility.NotEndorsed, () => "not endorsed for " +
            string.Join(", ", workloads.Where(w => !partner.Endorsements.Contains(w)).Order()));
        Add(Ineligibility.AlreadyDeclinedOrTimedOut, () => "already declined or timed out on this referral");
        return sentences;
    }
}
