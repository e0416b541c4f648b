using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Users.Item.SendMail;
using Microsoft.Kiota.Abstractions;

namespace FastTrack.Core.Mail;

/// <summary>
/// Sends through Microsoft Graph <c>sendMail</c> as <see cref="MailOptions.SenderMailbox"/>. The Graph client's own
/// retry handler waits out 429/503 (honouring Retry-After) three times; after that the failure is the caller's to retry.
/// </summary>
public sealed partial class GraphMailSender(
    GraphServiceClient graph, IOptions<MailOptions> options, ILogger<GraphMailSender> logger) : IMailSender
{
    /// <summary>Carries <see cref="OutgoingMail.Id"/>; Graph only accepts custom headers named <c>X-…</c>.</summary>
    public const string MailIdHeader = "X-FastTrack-Mail-Id";

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var sender = options.Value.SenderMailbox;
        var body = new SendMailPostRequestBody
        {
            Message = new Message
            {
                Subject = mail.Subject,
                Body = new ItemBody { ContentType = BodyType.Html, Content = mail.Html },
                ToRecipients = [.. mail.To.Select(Recipient)],
                CcRecipients = [.. mail.Cc.Select(Recipient)],
                InternetMessageHeaders = [new InternetMessageHeader { Name = MailIdHeader, Value = mail.Id }],
            },
            // A copy in the sender's Sent Items is the record of what was actually sent, for support and audits.
            SaveToSentItems = true,
        };

        try
        {
            await graph.Users[sender].SendMail.PostAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Graph errors arrive as ODataError (an ApiException); exhausted 429/503 retries as an AggregateException of
            // one ApiException per try; an unreachable host as whatever the HTTP stack threw. Either way nothing was
            // accepted, so the caller must keep the mail.
            var last = exception is AggregateException aggregate ? aggregate.InnerExceptions.LastOrDefault() : exception;
            var status = last is ApiException { ResponseStatusCode: > 0 } api ? api.ResponseStatusCode : (int?)null;
            LogNotSent(mail.Id, sender, status, exception);
            throw new MailNotSentException(mail.Id, status, exception);
        }

        LogSent(mail.Id, sender, mail.To.Count, mail.Cc.Count);
    }

    private static Recipient Recipient(string address) => new() { EmailAddress = new EmailAddress { Address = address } };

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent mail {MailId} as {Sender} to {ToCount} recipients, {CcCount} copied")]
    private partial void LogSent(string mailId, string sender, int toCount, int ccCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MailId} as {Sender} was not sent (HTTP {Status}); the caller will retry")]
    private partial void LogNotSent(string mailId, string sender, int? status, Exception exception);
}
