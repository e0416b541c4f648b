using FastTrack.Core.Mail;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using Microsoft.Extensions.Options;

namespace FastTrack.DevHost.DevTools;

/// <summary>One email as the local Graph endpoint received it; the shape of <c>GET /api/_dev/mailbox</c>.</summary>
public sealed record DevMail(
    string Id,
    string From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    string Subject,
    string Html,
    DateTimeOffset SentAt,
    IReadOnlyList<string> Links);

/// <summary>A mail as the local Graph endpoint keeps it in Sent Items: its Graph message id, and the mail.</summary>
public sealed record StoredDevMail(string MessageId, DevMail Mail);

/// <summary>
/// Development only: the mail the local Graph endpoint accepted, in a table (<see cref="MailOptions.DevMailboxTable"/>),
/// so it survives app restarts like the rest of the local data.
/// </summary>
public sealed partial class DevMailbox(StorageResources storage, IOptions<MailOptions> options)
{
    private const string Partition = "mail";

    // A table property holds 64 KiB (32K UTF-16 characters); longer HTML is split over Html0, Html1, … properties.
    private const int HtmlChunk = 30_000;

    private readonly string _tableName = options.Value.DevMailboxTable;

    /// <summary>Stores the mail; the row key sorts by <see cref="DevMail.SentAt"/>, so the table lists oldest first.</summary>
    public async Task SaveAsync(DevMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var table = await storage.TableAsync(_tableName, cancellationToken).ConfigureAwait(false);
        var rowKey = string.Create(CultureInfo.InvariantCulture, $"{mail.SentAt.UtcTicks:D19}-{Guid.NewGuid():N}");
        var entity = new TableEntity(Partition, rowKey)
        {
            ["MailId"] = mail.Id,
            ["From"] = mail.From,
            ["To"] = JsonSerializer.Serialize(mail.To),
            ["Cc"] = JsonSerializer.Serialize(mail.Cc),
            ["Subject"] = mail.Subject,
            ["SentAt"] = mail.SentAt,
        };
        for (var i = 0; i * HtmlChunk < mail.Html.Length; i++)
        {
            entity["Html" + i.ToString(CultureInfo.InvariantCulture)] =
                mail.Html.Substring(i * HtmlChunk, Math.Min(HtmlChunk, mail.Html.Length - (i * HtmlChunk)));
        }

        await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every mail, oldest first.</summary>
    public async Task<IReadOnlyList<DevMail>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await StoredAsync(cancellationToken).ConfigureAwait(false)).Select(stored => stored.Mail)];

    /// <summary>Every mail with the message id the local Graph endpoint gives it (its row key), oldest first.</summary>
    public async Task<IReadOnlyList<StoredDevMail>> StoredAsync(CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(_tableName, cancellationToken).ConfigureAwait(false);
        var mails = new List<StoredDevMail>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var html = new StringBuilder();
            for (var i = 0; entity.GetString("Html" + i.ToString(CultureInfo.InvariantCulture)) is { } chunk; i++)
            {
                html.Append(chunk);
            }

            mails.Add(new StoredDevMail(entity.RowKey, new DevMail(
                entity.GetString("MailId") ?? entity.RowKey,
                entity.GetString("From") ?? string.Empty,
                JsonSerializer.Deserialize<string[]>(entity.GetString("To") ?? "[]") ?? [],
                JsonSerializer.Deserialize<string[]>(entity.GetString("Cc") ?? "[]") ?? [],
                entity.GetString("Subject") ?? string.Empty,
                html.ToString(),
                entity.GetDateTimeOffset("SentAt") ?? DateTimeOffset.MinValue,
                Links(html.ToString()))));
        }

        return mails;
    }

    /// <summary>Deletes a mail for good; false when there is no such mail.</summary>
    public async Task<bool> DeleteAsync(string messageId, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(_tableName, cancellationToken).ConfigureAwait(false);
        var response = await table.DeleteEntityAsync(Partition, messageId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Status != StatusCodes.Status404NotFound;
    }

    /// <summary>Every absolute http(s) <c>href</c> in the HTML, decoded (an encoded <c>&amp;amp;</c> is a query's <c>&amp;</c>).</summary>
    public static IReadOnlyList<string> Links(string html) =>
        [.. HrefPattern().Matches(html)
            .Select(match => WebUtility.HtmlDecode(match.Groups["double"].Success ? match.Groups["double"].Value : match.Groups["single"].Value))
            .Where(href => Uri.TryCreate(href, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))];

    [GeneratedRegex("""\bhref\s*=\s*(?:"(?<double>[^"]*)"|'(?<single>[^']*)')""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HrefPattern();
}
