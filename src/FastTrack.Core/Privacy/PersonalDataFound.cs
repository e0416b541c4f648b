using System.Text.Json.Serialization;
using FastTrack.Domain.Privacy;
using FastTrack.Core.Mail;
using FastTrack.Core.Referrals;

namespace FastTrack.Core.Privacy;

/// <summary>What an export found: every personal field held about the person, and the kept emails about them.</summary>
public sealed record PrivacyExport(string Email, IReadOnlyList<ReferralPersonalData> Referrals, IReadOnlyList<KeptEmail> Emails);

/// <summary>
/// One referral's personal fields about the person: as its customer contact and/or its requestor, and the free text
/// (RFA notes, history, completion notes) that mentions them.
/// </summary>
public sealed record ReferralPersonalData(
    string ReferralId, DateTimeOffset ReceivedAt, CustomerContact? Contact, Requestor? Requestor, IReadOnlyList<Mention> Mentions)
{
    /// <summary>The values that identify the person here: name, email and phone in each role.</summary>
    [JsonIgnore]
    public IEnumerable<string> Values => Identifying(Contact, Requestor);

    public static ReferralPersonalData From(ReferralRecord record, string email)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (contact, requestor) = Roles(record.Submission, email);
        var person = Person(contact, requestor);
        var texts = new List<Mention> { new(record.Submission.ReceivedAt, "notes", record.Submission.Notes ?? string.Empty) };
        texts.AddRange(record.History.SelectMany(entry => new[]
        {
            new Mention(entry.At, $"history {entry.Kind} reason", entry.Reason ?? string.Empty),
            new Mention(entry.At, $"history {entry.Kind} details", entry.Details ?? string.Empty),
        }));
        texts.AddRange(record.State.Parts.Where(part => part.Completion is not null).Select(part =>
            new Mention(part.Completion!.CompletedAt, $"part {part.Id} completion notes", part.Completion.Notes ?? string.Empty)));
        return new ReferralPersonalData(
            record.State.Id, record.Submission.ReceivedAt, contact, requestor, [.. texts.Where(text => person.IsMentionedIn(text.Text))]);
    }

    /// <summary>The roles in which the RFA names the person: its contact, its requestor, or both.</summary>
    public static (CustomerContact? Contact, Requestor? Requestor) Roles(ReferralSubmission submission, string email)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return (
            PersonalData.SameEmail(submission.Contact.Email, email) ? submission.Contact : null,
            PersonalData.SameEmail(submission.Requestor.Email, email) ? submission.Requestor : null);
    }

    /// <summary>The values by which free text mentions the person.</summary>
    public static PersonalData Person(CustomerContact? contact, Requestor? requestor) => new(Identifying(contact, requestor));

    private static IEnumerable<string> Identifying(CustomerContact? contact, Requestor? requestor) =>
        new[] { contact?.Name, contact?.Email, contact?.Phone, requestor?.Name, requestor?.Email }.OfType<string>();
}

/// <summary>Free text that mentions the person: where it is, and when it was written.</summary>
public sealed record Mention(DateTimeOffset At, string Where, string Text);

/// <summary>What an erasure did; it holds no personal data itself.</summary>
public sealed record PrivacyErasure(
    IReadOnlyList<string> Referrals, int EmailsDeleted, int ExportsDeleted, IReadOnlyList<RetainedDocument> RetainedDocuments);

/// <summary>
/// Signed documents kept under contract about referrals (such as a voucher's SOW and Proof of Execution): an erasure
/// does not delete them, and lists them in its result so that nothing is kept silently. One implementation per kind.
/// </summary>
public interface IRetainedDocuments
{
    Task<IReadOnlyList<RetainedDocument>> FindAsync(IReadOnlyList<string> referralIds, CancellationToken cancellationToken);
}

/// <summary>A document an erasure kept, and why.</summary>
public sealed record RetainedDocument(string Kind, string Id, string ReferralId, string Reason);
