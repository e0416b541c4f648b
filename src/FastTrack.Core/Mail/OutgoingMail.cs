namespace FastTrack.Core.Mail;

/// <summary>
/// One email, ready to send. <see cref="Id"/> is chosen by the caller and deterministic (for example
/// <c>{referralId}:{effect}:{partId}:{attempt}</c>), so a resend after a crash carries the same id and a duplicate can
/// be recognised by whoever reads the mail (it travels in the <c>X-FastTrack-Mail-Id</c> header).
/// </summary>
/// <remarks>
/// <see cref="Text"/> is the plain-text rendering of the same content. Graph's <c>sendMail</c> JSON takes one body
/// (HTML or text, not both) and multipart MIME is not worth its weight here, so only <see cref="Html"/> is sent;
/// <see cref="Text"/> serves readers of the mail in logs and tests.
/// </remarks>
public sealed record OutgoingMail(
    string Id,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string Html,
    string Text);

/// <summary>Sends mail. Throws <see cref="MailNotSentException"/> when it could not: the caller retries later.</summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>
/// Graph refused the mail or could not be reached, after its own retries. Nothing is known to have been sent; the
/// outbox keeps the effect and tries again (mail is at-least-once).
/// </summary>
public sealed class MailNotSentException : Exception
{
    public MailNotSentException(string mailId, int? status, Exception innerException)
        : base($"Mail {mailId} was not sent{(status is { } s ? $" (HTTP {s})" : string.Empty)}: {innerException?.Message}", innerException)
    {
        MailId = mailId;
        Status = status;
    }

    public string MailId { get; }

    /// <summary>Graph's HTTP status when it answered with an error; null when it could not be reached.</summary>
    public int? Status { get; }
}
