using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Links;

/// <summary>What a signed link says about itself. Expiry is kept to the second, as in the token.</summary>
public abstract record LinkClaims
{
    private protected LinkClaims(LinkPurpose purpose, string partnerId, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(partnerId);
        Purpose = purpose;
        PartnerId = partnerId;
        ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds());
    }

    public LinkPurpose Purpose { get; }

    /// <summary>The only partner the link acts for.</summary>
    public string PartnerId { get; }

    public DateTimeOffset ExpiresAt { get; }
}

/// <summary>
/// A link bound to one attempt of one assignment part (<see cref="AssignmentPart.Attempt"/>): once the part is
/// reassigned, the attempt moves on and the link is recognised as superseded.
/// </summary>
public sealed record AssignmentLinkClaims : LinkClaims
{
    public AssignmentLinkClaims(LinkPurpose purpose, string referralId, string partId, int attempt, string partnerId, DateTimeOffset expiresAt)
        : base(purpose, partnerId, expiresAt)
    {
        if (purpose is not (LinkPurpose.Respond or LinkPurpose.Engagement))
        {
            throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "An assignment link is for Respond or Engagement.");
        }

        ArgumentException.ThrowIfNullOrEmpty(referralId);
        ArgumentException.ThrowIfNullOrEmpty(partId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(attempt);
        ReferralId = referralId;
        PartId = partId;
        Attempt = attempt;
    }

    public string ReferralId { get; }

    public string PartId { get; }

    public int Attempt { get; }
}

/// <summary>A "Your referrals" link: bound to one partner, it shows that partner's referrals and acts on none itself.</summary>
public sealed record PartnerListLinkClaims : LinkClaims
{
    public PartnerListLinkClaims(string partnerId, DateTimeOffset expiresAt)
        : base(LinkPurpose.List, partnerId, expiresAt)
    {
    }
}

/// <summary>A link bound to one voucher and the partner it was issued to (SPEC §9: not transferable).</summary>
public sealed record VoucherLinkClaims : LinkClaims
{
    public VoucherLinkClaims(string voucherId, string partnerId, DateTimeOffset expiresAt)
        : base(LinkPurpose.Voucher, partnerId, expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(voucherId);
        VoucherId = voucherId;
    }

    public string VoucherId { get; }
}
