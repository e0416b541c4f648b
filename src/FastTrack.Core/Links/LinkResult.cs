using System.Globalization;
using FastTrack.Domain.Referrals;
using FastTrack.Domain.Vouchers;

namespace FastTrack.Core.Links;

/// <summary>The outcomes a link POST reports (API.md "Partner links").</summary>
public enum LinkOutcome
{
    Accepted,
    Declined,
    Completed,
    Refused,
    AlreadyDone,
    Expired,
    Invalid,

    /// <summary>A voucher link's upload: the document is a new redemption, waiting for the offer desk.</summary>
    Received,
}

/// <summary>Which page explains a result: the action's result, or one of the pages for a link that cannot act.</summary>
public enum LinkResultPage
{
    /// <summary>The action was taken, repeated or refused: outcome, message and the referral's status.</summary>
    Result,

    /// <summary>The link was forged, altered, unreadable, or names something that does not exist.</summary>
    Invalid,

    /// <summary>The link was authentic but is past its expiry.</summary>
    Expired,

    /// <summary>The link belongs to an earlier assignment of the part (the part was reassigned since).</summary>
    Superseded,

    /// <summary>The form was incomplete or wrong; <see cref="LinkResult.Errors"/> lists every problem.</summary>
    FormProblems,
}

/// <summary>
/// What a link request came to, ready to answer as HTML or JSON: the API.md outcome, its HTTP status, a message for the
/// partner and, when known, the referral's status, or for a voucher link the voucher's.
/// </summary>
public sealed record LinkResult(
    LinkOutcome Outcome,
    int StatusCode,
    string Message,
    ReferralStatus? ReferralStatus,
    LinkResultPage Page,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    VoucherStatus? VoucherStatus = null)
{
    /// <summary>Whether the request changed the referral or voucher; every page that did not says so plainly.</summary>
    public bool ChangedSomething => Outcome is LinkOutcome.Accepted or LinkOutcome.Declined or LinkOutcome.Completed or LinkOutcome.Received;

    /// <summary>
    /// Maps what the decider said about a link command. A superseded link (<see cref="DecisionOutcome.Stale"/>) is
    /// reported as Refused with 409, as API.md groups "refused or superseded"; the outcomes of commands no link sends
    /// (submit, timeout, escalate) are a caller's bug and throw.
    /// </summary>
    public static LinkResult ForDecision(DecisionOutcome outcome, string message, ReferralStatus referralStatus)
    {
        ArgumentNullException.ThrowIfNull(message);
        return outcome switch
        {
            DecisionOutcome.Accepted => new(LinkOutcome.Accepted, StatusCodes.Status200OK, message, referralStatus, LinkResultPage.Result),
            DecisionOutcome.Declined => new(LinkOutcome.Declined, StatusCodes.Status200OK, message, referralStatus, LinkResultPage.Result),
            DecisionOutcome.Completed => new(LinkOutcome.Completed, StatusCodes.Status200OK, message, referralStatus, LinkResultPage.Result),
            DecisionOutcome.AlreadyDone => new(LinkOutcome.AlreadyDone, StatusCodes.Status200OK, message, referralStatus, LinkResultPage.Result),
            DecisionOutcome.Refused => new(LinkOutcome.Refused, StatusCodes.Status409Conflict, message, referralStatus, LinkResultPage.Result),
            DecisionOutcome.Stale => Superseded(referralStatus),
            DecisionOutcome.Invalid => new(LinkOutcome.Invalid, StatusCodes.Status400BadRequest, message, referralStatus, LinkResultPage.Invalid),
            _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not an outcome of a link command."),
        };
    }

    /// <summary>
    /// For opening (GET) a valid assignment link: null when its page can be shown, else what to show instead. The same
    /// addressing rules as the decider's, so the page never offers buttons the POST would only turn down as stale.
    /// </summary>
    public static LinkResult? ForOpening(AssignmentLinkClaims claims, Referral? referral)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var part = referral?.FindPart(claims.PartId);
        if (referral is null || part is null || claims.Attempt > part.Attempt)
        {
            return NotFound();
        }

        if (claims.Attempt < part.Attempt)
        {
            return Superseded(referral.Status);
        }

        return string.Equals(part.PartnerId, claims.PartnerId, StringComparison.Ordinal) ? null : NotFound();
    }

    /// <summary>For a token that did not verify: expired → 410, anything else → 404 (there is no such link).</summary>
    public static LinkResult ForVerification(LinkVerification verification) => verification switch
    {
        LinkVerification.Expired expired => new(
            LinkOutcome.Expired,
            StatusCodes.Status410Gone,
            $"This link expired on {expired.Claims.ExpiresAt.UtcDateTime.ToString("dddd d MMMM yyyy 'at' HH:mm 'UTC'", CultureInfo.InvariantCulture)}.",
            null,
            LinkResultPage.Expired),
        LinkVerification.Invalid => NotFound(),
        _ => throw new ArgumentException("A valid link has no error result.", nameof(verification)),
    };

    /// <summary>The link is authentic but names nothing it can act on (the referral, part or voucher is gone, or is another partner's).</summary>
    public static LinkResult NotFound() => new(
        LinkOutcome.Invalid,
        StatusCodes.Status404NotFound,
        "This link is not valid: it may have been copied incompletely or changed.",
        null,
        LinkResultPage.Invalid);

    /// <summary>The link belongs to an earlier assignment of the part: 409, as API.md says for a superseded link.</summary>
    public static LinkResult Superseded(ReferralStatus? referralStatus) => new(
        LinkOutcome.Refused,
        StatusCodes.Status409Conflict,
        "This link belongs to an earlier assignment of this referral, which has ended: the referral is no longer offered to you through it.",
        referralStatus,
        LinkResultPage.Superseded);

    /// <summary>The POSTed form had problems; nothing was sent to the referral.</summary>
    public static LinkResult ForFormProblems(LinkActionBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (binding.Succeeded)
        {
            throw new ArgumentException("The form was bound without problems.", nameof(binding));
        }

        return ForFormProblems(binding.Errors);
    }

    /// <summary>The POSTed form had these problems, by field; nothing was changed.</summary>
    public static LinkResult ForFormProblems(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return new(
            LinkOutcome.Invalid,
            StatusCodes.Status400BadRequest,
            string.Join(" ", errors.Values.SelectMany(messages => messages)),
            null,
            LinkResultPage.FormProblems,
            errors);
    }
}
