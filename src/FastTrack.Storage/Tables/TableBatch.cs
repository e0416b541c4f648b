using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;

namespace FastTrack.Storage.Tables;

/// <summary>
/// The multipart/mixed body of an entity group transaction (one batch holding one changeset) and the reading of its
/// response. See "Performing entity group transactions" in the Table service REST reference.
/// </summary>
internal static partial class TableBatch
{
    public const int MaxActions = 100;

    /// <summary>Refuses what the service would refuse (Azurite does not refuse all of it) before anything is sent.</summary>
    public static IReadOnlyList<TableTransactionAction> Validate(IEnumerable<TableTransactionAction> transactionActions)
    {
        ArgumentNullException.ThrowIfNull(transactionActions);
        var list = transactionActions.ToList();
        if (list.Count is 0 or > MaxActions)
        {
            throw new ArgumentException(
                $"A transaction holds 1 to {MaxActions} actions; this one has {list.Count}.", nameof(transactionActions));
        }

        if (list.Any(a => a is null))
        {
            throw new ArgumentException("A transaction action is null.", nameof(transactionActions));
        }

        var partitionKey = list[0].Entity.PartitionKey;
        if (list.FirstOrDefault(a => !string.Equals(a.Entity.PartitionKey, partitionKey, StringComparison.Ordinal))
            is { } stranger)
        {
            throw new ArgumentException(
                "All actions of a transaction must share one partition key; found " +
                $"'{partitionKey}' and '{stranger.Entity.PartitionKey}'.", nameof(transactionActions));
        }

        if (list.GroupBy(a => a.Entity.RowKey, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException(
                $"A transaction may touch an entity only once; row key '{twice.Key}' appears {twice.Count()} times.",
                nameof(transactionActions));
        }

        return list;
    }

    public static string Write(
        string batchBoundary, IReadOnlyList<TableTransactionAction> actions, Func<TableEntity, Uri> entityUri, Uri tableUri)
    {
        var changesetBoundary = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder()
            .Append("--").Append(batchBoundary).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append("\r\n\r\n");
        foreach (var action in actions)
        {
            var (method, uri, ifMatch, content) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", tableUri, (ETag?)null, true),
                TableTransactionActionType.UpdateMerge => ("MERGE", entityUri(action.Entity), AnyIfDefault(action.ETag), true),
                TableTransactionActionType.UpdateReplace => ("PUT", entityUri(action.Entity), AnyIfDefault(action.ETag), true),
                TableTransactionActionType.Delete => ("DELETE", entityUri(action.Entity), AnyIfDefault(action.ETag), false),
                TableTransactionActionType.UpsertMerge => ("MERGE", entityUri(action.Entity), null, true),
                TableTransactionActionType.UpsertReplace => ("PUT", entityUri(action.Entity), null, true),
                _ => throw new ArgumentOutOfRangeException(nameof(actions), action.ActionType, "Unknown action type."),
            };
            body.Append("--").Append(changesetBoundary).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append("Content-Transfer-Encoding: binary\r\n\r\n")
                .Append(method).Append(' ').Append(uri.AbsoluteUri).Append(" HTTP/1.1\r\n")
                .Append("Accept: ").Append(TableClient.AcceptJson).Append("\r\n")
                .Append("DataServiceVersion: 3.0\r\n");
            if (ifMatch is { } etag)
            {
                body.Append("If-Match: ").Append(etag.ToString("H")).Append("\r\n");
            }

            if (content)
            {
                body.Append("Content-Type: application/json\r\n")
                    .Append("Prefer: return-no-content\r\n\r\n")
                    .Append(TableEntityJson.Serialize(action.Entity).ToString()).Append("\r\n");
            }
            else
            {
                body.Append("\r\n");
            }
        }

        return body.Append("--").Append(changesetBoundary).Append("--\r\n")
            .Append("--").Append(batchBoundary).Append("--\r\n")
            .ToString();
    }

    /// <summary>The HTTP responses nested in a multipart/mixed body, at any depth (batch, then changeset).</summary>
    public static List<TransactionPartResponse> Read(Response response)
    {
        var contentType = response.Headers.ContentType
                          ?? throw new FormatException("The $batch response has no Content-Type.");
        var parts = new List<TransactionPartResponse>();
        ReadMultipart(response.Content.ToString(), Boundary(contentType), response.ClientRequestId, parts);
        return parts;
    }

    /// <summary>The failing action's index, which the service puts before the error message ("2:The update …").</summary>
    public static int? FailedIndex(Response failure) =>
        TableErrorParser.Read(failure).Message is { } message && IndexPrefix().Match(message) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    private static ETag AnyIfDefault(ETag etag) => etag == default ? ETag.All : etag;

    private static string Boundary(string contentType) =>
        BoundaryParameter().Match(contentType) is { Success: true } match
            ? match.Groups[1].Value.Trim('"')
            : throw new FormatException($"No multipart boundary in '{contentType}'.");

    private static void ReadMultipart(string body, string boundary, string clientRequestId, List<TransactionPartResponse> parts)
    {
        var delimiter = "--" + boundary;
        var segments = body.Split(delimiter);

        // segments[0] is the preamble, and the segment after the closing delimiter starts with "--".
        foreach (var segment in segments.Skip(1).Where(s => !s.StartsWith("--", StringComparison.Ordinal)))
        {
            using var reader = new StringReader(segment.TrimStart('\r', '\n'));
            var mimeHeaders = ReadHeaders(reader);
            var partType = mimeHeaders.FirstOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;
            if (partType is not null && partType.StartsWith("multipart/mixed", StringComparison.OrdinalIgnoreCase))
            {
                ReadMultipart(reader.ReadToEnd(), Boundary(partType), clientRequestId, parts);
                continue;
            }

            var statusLine = reader.ReadLine() ?? throw new FormatException("A $batch part has no status line.");
            var status = StatusLine().Match(statusLine);
            if (!status.Success)
            {
                throw new FormatException($"Unexpected $batch status line '{statusLine}'.");
            }

            var headers = ReadHeaders(reader);
            var content = reader.ReadToEnd().TrimEnd('\r', '\n');
            parts.Add(new TransactionPartResponse(
                int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture),
                status.Groups[2].Value,
                headers,
                BinaryData.FromString(content),
                clientRequestId));
        }
    }

    private static List<HttpHeader> ReadHeaders(StringReader reader)
    {
        var headers = new List<HttpHeader>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new HttpHeader(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        return headers;
    }

    [GeneratedRegex(@"boundary=([^;\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryParameter();

    [GeneratedRegex(@"^HTTP/\d\.\d (\d{3}) ?(.*)$")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex IndexPrefix();
}
