using Microsoft.Extensions.Options;

namespace FastTrack.Core.Links;

/// <summary>
/// The absolute links put in partner emails, <c>{PublicBaseUrl}/api/links/{token}</c>, each expiring as
/// <see cref="LinkOptions"/> says (SPEC §7: a respond link at the SLA deadline plus a grace period, longer for the rest).
/// </summary>
public sealed class PartnerLinks(LinkSigner signer, IOptions<LinkOptions> options)
{
    private readonly LinkOptions options = (options ?? throw new ArgumentNullException(nameof(options))).Value;

    /// <summary>The notification email's link: accept or decline this attempt, until <paramref name="dueAt"/> plus the grace period.</summary>
    public Uri Respond(string referralId, string partId, int attempt, string partnerId, DateTimeOffset dueAt) =>
        For(new AssignmentLinkClaims(LinkPurpose.Respond, referralId, partId, attempt, partnerId, dueAt + options.RespondGracePeriod));

    /// <summary>The acceptance confirmation's link: complete or decline this attempt.</summary>
    public Uri Engagement(string referralId, string partId, int attempt, string partnerId, DateTimeOffset acceptedAt) =>
        For(new AssignmentLinkClaims(LinkPurpose.Engagement, referralId, partId, attempt, partnerId, acceptedAt + options.EngagementLinkLifetime));

    /// <summary>The voucher email's link: the voucher page and its uploads, for the partner it was issued to.</summary>
    public Uri Voucher(string voucherId, string partnerId, DateTimeOffset issuedAt) =>
        For(new VoucherLinkClaims(voucherId, partnerId, issuedAt + options.VoucherLinkLifetime));

    /// <summary>The "Your referrals" link of an email sent at <paramref name="sentAt"/>: the partner's referral list.</summary>
    public Uri List(string partnerId, DateTimeOffset sentAt) =>
        For(new PartnerListLinkClaims(partnerId, sentAt + options.ListLinkLifetime));

    /// <summary>Signs the claims and makes the absolute link.</summary>
    public Uri For(LinkClaims claims)
    {
        // Tokens are base64url and '.', so they need no escaping in a path segment.
        var path = PartnerLinksApi.LinkRoute.Replace("{token}", signer.Create(claims), StringComparison.Ordinal);
        return new Uri(options.PublicBaseUrl.AbsoluteUri.TrimEnd('/') + "/" + path, UriKind.Absolute);
    }
}
