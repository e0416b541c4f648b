namespace FastTrack.Core.Links;

/// <summary>What a partner link lets its holder do. A token carries exactly one purpose, so links cannot be repurposed.</summary>
public enum LinkPurpose
{
    /// <summary>The notification email's link: accept or decline the offered assignment part.</summary>
    Respond = 1,

    /// <summary>The acceptance confirmation's link: mark the engagement complete, or decline after all.</summary>
    Engagement = 2,

    /// <summary>The voucher email's link: see the voucher and upload its SOW and POE.</summary>
    Voucher = 3,

    /// <summary>Every partner email's "Your referrals" link: the partner's referrals, each linking to its own page.</summary>
    List = 4,
}
