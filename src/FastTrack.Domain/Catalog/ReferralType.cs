namespace FastTrack.Domain.Catalog;

/// <summary>Standard referrals are fee-based; Benefit referrals deliver the FastTrack Benefit at no cost (SPEC §3).</summary>
public enum ReferralType
{
    Standard,
    Benefit,
}
