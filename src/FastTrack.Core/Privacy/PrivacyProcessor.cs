using FastTrack.Domain.Privacy;
using FastTrack.Core.Mail;
using FastTrack.Core.Referrals;

namespace FastTrack.Core.Privacy;

/// <summary>
/// Carries out personal data requests (SPEC §10). An export gathers every personal field held about the person; an
/// erasure removes them wherever they are stored and keeps the non-personal history. Every step can be repeated, so a
/// request whose processing failed, or whose message came twice, is simply processed again.
/// </summary>
public sealed partial class PrivacyProcessor(
    PrivacyRequests requests,
    ContactIndex index,
    ReferralStore referrals,
    SentMailArchive sentMail,
    IEnumerable<IRetainedDocuments> retainedDocuments,
    TimeProvider clock,
    ILogger<PrivacyProcessor> logger)
{
    /// <summary>Longer than any send takes: a Graph call, with its own retries.</summary>
    private static readonly TimeSpan InFlightFor = TimeSpan.FromMinutes(5);

    public async Task ProcessAsync(string id, CancellationToken cancellationToken)
    {
        var stored = await requests.GetAsync(id, cancellationToken);
        if (stored is not { Request.Status: PrivacyRequestStatus.Received })
        {
            return;
        }

        var (result, latest) = stored.Request.Kind == PrivacyRequestKind.Export
            ? ((object)await ExportAsync(stored, cancellationToken), stored)
            : await EraseAsync(stored, cancellationToken);
        if (await requests.CompleteAsync(latest, result, clock.GetUtcNow(), cancellationToken))
        {
            LogCompleted(id, stored.Request.Kind);
        }
    }

    private async Task<PrivacyExport> ExportAsync(StoredPrivacyRequest stored, CancellationToken cancellationToken)
    {
        var email = stored.Request.Email;
        var found = await FindReferralsAsync(stored, cancellationToken);
        var data = found.Select(record => ReferralPersonalData.From(record, email)).ToList();
        return new PrivacyExport(email, data, await sentMail.FindAsync(email, data.SelectMany(d => d.Values), cancellationToken));
    }

    /// <summary>
    /// Referrals first, so that no email rendered from now on holds the person's data; then the kept emails, once
    /// none is being sent; then earlier exports' results; the index last, since it is how a retry finds the rest.
    /// </summary>
    private async Task<(PrivacyErasure, StoredPrivacyRequest)> EraseAsync(StoredPrivacyRequest stored, CancellationToken cancellationToken)
    {
        var email = stored.Request.Email;
        var found = await FindReferralsAsync(stored, cancellationToken);
        var data = found.Select(record => ReferralPersonalData.From(record, email)).ToList();
        stored = await requests.RememberAsync(stored, data.SelectMany(d => d.Values), cancellationToken);
        foreach (var record in found)
        {
            var (contact, requestor) = ReferralPersonalData.Roles(record.Submission, email);
            var person = ReferralPersonalData.Person(contact, requestor);
            await referrals.RewriteAsync(
                record.State.Id,
                new ReferralRewrite(submission => Erase(submission, email, person), person.Redact, person.Redact),
                cancellationToken);
        }

        var referralIds = found.Select(record => record.State.Id).ToList();
        await EnsureNoEmailInFlightAsync(referralIds, cancellationToken);
        var emails = await sentMail.FindAsync(email, stored.Values, cancellationToken);
        foreach (var kept in emails)
        {
            await sentMail.DeleteAsync(kept.Id, cancellationToken);
        }

        var exports = await requests.KeptExportsAsync(stored.EmailKey, cancellationToken);
        foreach (var export in exports)
        {
            await requests.EraseResultAsync(export.Request.Id, cancellationToken);
        }

        var documents = new List<RetainedDocument>();
        foreach (var source in retainedDocuments)
        {
            documents.AddRange(await source.FindAsync(referralIds, cancellationToken));
        }

        await index.RemoveAsync(stored.EmailKey, cancellationToken);
        return (new PrivacyErasure(referralIds, emails.Count, exports.Count, documents), stored);
    }

    private static ReferralSubmission Erase(ReferralSubmission submission, string email, PersonalData person) => submission with
    {
        Contact = PersonalData.SameEmail(submission.Contact.Email, email)
            ? new CustomerContact(PersonalData.Erased, PersonalData.Erased, submission.Contact.Phone is null ? null : PersonalData.Erased)
            : submission.Contact,
        Requestor = PersonalData.SameEmail(submission.Requestor.Email, email)
            ? submission.Requestor with { Name = PersonalData.Erased, Email = PersonalData.Erased }
            : submission.Requestor,
        Notes = person.Redact(submission.Notes),
    };

    /// <summary>The referrals whose RFA names the address; the index may also name some that never appeared or no longer do.</summary>
    private async Task<IReadOnlyList<ReferralRecord>> FindReferralsAsync(StoredPrivacyRequest stored, CancellationToken cancellationToken)
    {
        var found = new List<ReferralRecord>();
        foreach (var referralId in await index.ReferralsAsync(stored.EmailKey, cancellationToken))
        {
            if (await referrals.GetAsync(referralId, cancellationToken) is { } record &&
                ReferralPersonalData.Roles(record.Submission, stored.Request.Email) is not (null, null))
            {
                found.Add(record);
            }
        }

        return found;
    }

    /// <summary>
    /// An email being sent when the referral was erased may have been written with the person's data and reach Sent
    /// Items after the search: the erasure waits (fails, to be retried) until no email started in the last
    /// <see cref="InFlightFor"/> is still unrecorded. (An older unrecorded one is a send that failed, not one under way.)
    /// </summary>
    private async Task EnsureNoEmailInFlightAsync(IReadOnlyList<string> referralIds, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - InFlightFor;
        foreach (var referralId in referralIds)
        {
            if ((await referrals.MailsInFlightAsync(referralId, since, cancellationToken)).Count > 0)
            {
                throw new InvalidOperationException($"Referral {referralId} has an email being sent; the erasure is retried later.");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Personal data request {RequestId} ({Kind}) completed")]
    private partial void LogCompleted(string requestId, PrivacyRequestKind kind);
}
