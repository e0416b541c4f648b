using FastTrack.Domain.Referrals;
using FastTrack.Core.Mail;

namespace FastTrack.Core.Referrals;

/// <summary>
/// What the RFA carries beyond what matching needs: who asked, whom to contact, notes and dates. Stored once, at
/// intake, in the referral's <c>rfa</c> row, and read by the emails. The contact's fields are personal data (SPEC §10).
/// </summary>
public sealed record ReferralSubmission(
    string SubmissionId,
    Requestor Requestor,
    CustomerContact Contact,
    string? Notes,
    DateOnly? EngagementStartDate,
    DateTimeOffset ReceivedAt)
{
    public ReferralContacts Contacts => new(Requestor, Contact, Notes);
}

/// <summary>A referral as stored: the domain state, the RFA details and the history so far.</summary>
public sealed record ReferralRecord(Referral State, ReferralSubmission Submission, IReadOnlyList<HistoryEntry> History);
