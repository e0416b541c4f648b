using FastTrack.Core.Mail;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.MailFolders.Item.Messages;

namespace FastTrack.Core.Privacy;

/// <summary>
/// The copies of sent mail kept in the sender mailbox's Sent Items (<see cref="GraphMailSender"/> saves one of each).
/// A person's mails are found with Graph's <c>$search</c>: each of their values (address, name, phone) in the default
/// properties (from, subject, body), and their address among the recipients. A mail naming someone else who has the
/// same name or phone is found too: an erasure would rather delete one copy too many than keep one. Erasure deletes them permanently (Graph's <c>permanentDelete</c>: gone from the mailbox, purged after the deleted
/// item retention unless a hold applies). Needs the Graph application permission <c>Mail.ReadWrite</c>.
/// </summary>
public sealed class SentMailArchive(GraphServiceClient graph, IOptions<MailOptions> options)
{
    private const string SentItems = "sentitems";
    private const int PageSize = 50;

    /// <summary>The kept mails to or mentioning the person, oldest first.</summary>
    public async Task<IReadOnlyList<KeptEmail>> FindAsync(string email, IEnumerable<string> values, CancellationToken cancellationToken)
    {
        // A KQL phrase is quoted, so a value cannot carry quotes of its own.
        var queries = values.Append(email).Select(value => value.Replace("\"", string.Empty, StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase).Select(value => $"\"{value}\"").Append($"\"recipients:{email}\"");
        var found = new Dictionary<string, KeptEmail>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            var page = await Messages.GetAsync(
                request =>
                {
                    request.QueryParameters.Search = query;
                    request.QueryParameters.Top = PageSize;
                    request.QueryParameters.Select = ["id", "subject", "sentDateTime", "toRecipients", "ccRecipients"];
                },
                cancellationToken);
            while (page is not null)
            {
                foreach (var message in page.Value ?? [])
                {
                    found.TryAdd(message.Id!, KeptEmail.From(message));
                }

                // Collect every page before deleting anything: a page boundary must not move under our feet.
                page = page.OdataNextLink is { } next
                    ? await Messages.WithUrl(next).GetAsync(cancellationToken: cancellationToken)
                    : null;
            }
        }

        return [.. found.Values.OrderBy(mail => mail.SentAt)];
    }

    public async Task DeleteAsync(string messageId, CancellationToken cancellationToken)
    {
        try
        {
            await Messages[messageId].PermanentDelete.PostAsync(cancellationToken: cancellationToken);
        }
        catch (ODataError gone) when (gone.ResponseStatusCode == StatusCodes.Status404NotFound)
        {
            // Deleted by an earlier try of the same erasure.
        }
    }

    private MessagesRequestBuilder Messages => graph.Users[options.Value.SenderMailbox].MailFolders[SentItems].Messages;
}

/// <summary>A kept copy of a sent email, as an export lists it.</summary>
public sealed record KeptEmail(string Id, string Subject, DateTimeOffset? SentAt, IReadOnlyList<string> To, IReadOnlyList<string> Cc)
{
    public static KeptEmail From(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new KeptEmail(
            message.Id!,
            message.Subject ?? string.Empty,
            message.SentDateTime,
            [.. (message.ToRecipients ?? []).Select(Address)],
            [.. (message.CcRecipients ?? []).Select(Address)]);
    }

    private static string Address(Recipient recipient) => recipient.EmailAddress?.Address ?? string.Empty;
}
