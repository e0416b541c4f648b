using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using FastTrack.Storage.Blobs;
using FastTrack.Storage.Core;
using FastTrack.Storage.Queues;
using FastTrack.Storage.Tables;
using Xunit;

namespace FastTrack.Functions.Tests.Privacy;

/// <summary>
/// Reads everything a storage account holds, whatever the app's code says it wrote: every property of every entity of
/// every table, every visible message of every queue (poison queues included), every blob and its metadata. Our clients have no
/// calls to list tables, queues or containers, so only the names are listed, with an account SAS over plain HTTP; the
/// contents are read with our clients.
/// </summary>
internal static class StorageScan
{
    // Peek returns at most 32 messages: a search refuses a queue with more. It sees visible messages only, as any reader
    // does: a delayed one (an SLA timer on referral-timers) cannot be read until it is due.
    private const int MaxPeek = 32;

    /// <summary>What <see cref="ReadAllAsync"/> holds for a queue with more messages than it can read.</summary>
    public const string UnreadMessages = "(more messages than a peek reads: the rest is unread)";

    /// <summary>Where each of <paramref name="values"/> occurs (case-insensitively): "table/partition/row/property: value".</summary>
    public static async Task<IReadOnlyList<string>> FindAsync(StorageConnectionString account, params string[] values)
    {
        var texts = await ReadAllAsync(account);
        Assert.DoesNotContain(texts, text => text.Text == UnreadMessages);
        return [.. texts
            .Where(text => values.Any(value => text.Text.Contains(value, StringComparison.OrdinalIgnoreCase)))
            .Select(text => $"{text.Where}: {text.Text}")];
    }

    /// <summary>
    /// Every text the account holds, with where it is ("table T/partition/row/property", "queue Q/message id",
    /// "blob C/name", "blob C/name metadata key"); a queue too full to read whole says so (<see cref="UnreadMessages"/>).
    /// </summary>
    public static async Task<IReadOnlyList<(string Where, string Text)>> ReadAllAsync(StorageConnectionString account)
    {
        var texts = new List<(string Where, string Text)>();
        foreach (var table in await TablesAsync(account))
        {
            await foreach (var entity in new TableClient(account.ToString(), table).QueryAsync())
            {
                texts.AddRange(entity.Select(property => ($"table {table}/{entity.PartitionKey}/{entity.RowKey}/{property.Key}", Convert.ToString(property.Value, CultureInfo.InvariantCulture) ?? string.Empty)));
            }
        }

        foreach (var queueName in await NamesAsync(account, account.QueueEndpoint, "Queues", "Queue"))
        {
            var queue = new QueueClient(account.ToString(), queueName);
            var messages = (await queue.PeekMessagesAsync(MaxPeek)).Value;
            texts.AddRange(messages.Select(message => ($"queue {queueName}/{message.MessageId}", message.Body.ToString())));
            if (messages.Count >= MaxPeek)
            {
                texts.Add(($"queue {queueName}", UnreadMessages));
            }
        }

        foreach (var containerName in await NamesAsync(account, account.BlobEndpoint, "Containers", "Container"))
        {
            var container = new BlobContainerClient(account.ToString(), containerName);
            await foreach (var blob in container.GetBlobsAsync())
            {
                using var download = (await container.GetBlobClient(blob.Name).DownloadStreamingAsync()).Value;
                using var reader = new StreamReader(download.Content);
                texts.Add(($"blob {containerName}/{blob.Name}", await reader.ReadToEndAsync()));
                texts.AddRange(blob.Properties.Metadata.Select(pair => ($"blob {containerName}/{blob.Name} metadata {pair.Key}", pair.Value)));
            }
        }

        return texts;
    }

    private static async Task<IReadOnlyList<string>> TablesAsync(StorageConnectionString account)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"{account.TableEndpoint.AbsoluteUri.TrimEnd('/')}/Tables?{Sas(account)}"));
        request.Headers.Accept.ParseAdd("application/json;odata=nometadata");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. body.GetProperty("value").EnumerateArray().Select(table => table.GetProperty("TableName").GetString()!)];
    }

    private static async Task<IReadOnlyList<string>> NamesAsync(StorageConnectionString account, Uri endpoint, string list, string item)
    {
        using var http = new HttpClient();
        var xml = XElement.Parse(await http.GetStringAsync(new Uri($"{endpoint.AbsoluteUri.TrimEnd('/')}/?comp=list&{Sas(account)}")));
        Assert.True(string.IsNullOrEmpty(xml.Element("NextMarker")?.Value), $"Too many {list} to scan in one page.");
        return [.. xml.Element(list)!.Elements(item).Select(element => element.Element("Name")!.Value)];
    }

    /// <summary>An account SAS that lists and reads every service (version 2020-12-06 and later string-to-sign).</summary>
    private static string Sas(StorageConnectionString account)
    {
        const string version = "2021-12-02";
        var expiry = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var toSign = string.Join('\n', account.AccountName, "rl", "bqt", "sco", string.Empty, expiry, string.Empty, string.Empty, version, string.Empty, string.Empty);
        using var hmac = new HMACSHA256(Convert.FromBase64String(account.AccountKey));
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(toSign)));
        return $"sv={version}&ss=bqt&srt=sco&sp=rl&se={Uri.EscapeDataString(expiry)}&sig={Uri.EscapeDataString(signature)}";
    }
}
