using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FastTrack.Bench.Workflow;

/// <summary>
/// A TCP proxy in front of one Azurite service that counts the HTTP/1.1 requests passing through it, by kind
/// (service, method, table or queue, entity/query/messages). Bytes are forwarded untouched (SharedKey signatures stay
/// valid); only request heads are parsed, to find each request's start and its Content-Length.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _service;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Task _accepting;

    public CountingProxy(string service, int targetPort)
    {
        _service = service;
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopping
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                upstream.NoDelay = true;
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var down = client.GetStream();
                var up = upstream.GetStream();
                var responses = up.CopyToAsync(down, _stop.Token);
                var requests = PumpRequestsAsync(down, up);
                await Task.WhenAny(responses, requests);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // a closed connection
            }
        }
    }

    private async Task PumpRequestsAsync(NetworkStream source, NetworkStream target)
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        while (true)
        {
            int headEnd;
            while ((headEnd = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await source.ReadAsync(buffer.AsMemory(end), _stop.Token);
                if (read == 0)
                {
                    return;
                }

                end += read;
            }

            var headLength = headEnd + 4;
            var (kind, contentLength) = Parse(Encoding.ASCII.GetString(buffer, start, headLength));
            await target.WriteAsync(buffer.AsMemory(start, headLength), _stop.Token);
            start += headLength;
            // An entity group transaction names its table only in its body: keep the body's start to find it.
            var body = kind == "table POST $batch" ? new MemoryStream() : null;
            if (contentLength < 0)
            {
                Add(kind);
                // Chunked: not sent by Azure.Core's HttpClient transport; pass the rest through uncounted.
                _counts.AddOrUpdate("(chunked request: later requests on the connection uncounted)", 1, (_, n) => n + 1);
                await target.WriteAsync(buffer.AsMemory(start, end - start), _stop.Token);
                await source.CopyToAsync(target, _stop.Token);
                return;
            }

            var remaining = contentLength;
            var buffered = (int)Math.Min(remaining, end - start);
            await target.WriteAsync(buffer.AsMemory(start, buffered), _stop.Token);
            Keep(body, buffer, start, buffered);
            start += buffered;
            remaining -= buffered;
            while (remaining > 0)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), _stop.Token);
                if (read == 0)
                {
                    return;
                }

                await target.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                Keep(body, buffer, 0, read);
                remaining -= read;
            }

            Add(body is null ? kind : RequestKinds.Batch(Encoding.ASCII.GetString(body.GetBuffer(), 0, (int)body.Length)));

            if (start == end)
            {
                start = end = 0;
            }
        }
    }

    private static void Keep(MemoryStream? body, byte[] buffer, int offset, int count)
    {
        if (body is not null && body.Length < 8 * 1024)
        {
            body.Write(buffer, offset, count);
        }
    }

    private void Add(string kind) => _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    /// <returns>The request's kind, and its Content-Length (0 if none) or -1 when the body is chunked.</returns>
    private (string Kind, long ContentLength) Parse(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        long contentLength = 0;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                     && value.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = -1;
            }
        }

        return (RequestKinds.Classify(_service, requestLine[0], requestLine.Length > 1 ? requestLine[1] : "/"), contentLength);
    }
}

/// <summary>Names a storage request by what it does, e.g. <c>table PUT Referrals entity</c> or <c>queue GET referral-dispatch/messages</c>.</summary>
internal static class RequestKinds
{
    public static string Classify(string service, string method, string target)
    {
        var path = Uri.UnescapeDataString(target.Split('?', 2)[0]);
        var query = target.Contains('?', StringComparison.Ordinal) ? target.Split('?', 2)[1] : string.Empty;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray(); // drop the account
        var first = segments.FirstOrDefault() ?? string.Empty;
        switch (service)
        {
            case "table":
                if (first.StartsWith("Tables", StringComparison.Ordinal) || first.StartsWith("$batch", StringComparison.Ordinal))
                {
                    return $"table {method} {first.Split('(')[0]}";
                }

                var table = first.Split('(')[0];
                var what = first.Contains("PartitionKey", StringComparison.Ordinal) ? "entity"
                    : method == "POST" ? "insert" : "query";
                return $"table {method} {table} {what}";
            case "queue":
                var tail = segments.Length switch
                {
                    >= 3 => "/messages/{id}",
                    2 => "/" + segments[1],
                    _ => string.Empty,
                };
                var queueName = first.Length == 0 ? "(service)" : first;
                return $"queue {method} {queueName}{tail}";
            default:
                var comp = query.Split('&').FirstOrDefault(p => p.StartsWith("comp=", StringComparison.Ordinal));
                return $"blob {method} {(first.Length == 0 ? "(service)" : first)}{(segments.Length > 1 ? "/{blob}" : string.Empty)}{(comp is null ? string.Empty : "?" + comp)}";
        }
    }

    public static string Service(string kind) => kind.Split(' ', 2)[0];

    /// <summary>
    /// An entity group transaction by its table (the first inner request's), e.g. <c>table POST $batch Referrals</c>.
    /// Its operations are not counted apart: Azurite, like Azure, takes the transaction as one request.
    /// </summary>
    public static string Batch(string bodyStart)
    {
        var match = System.Text.RegularExpressions.Regex.Match(
            bodyStart, @"^(?:GET|POST|PUT|PATCH|MERGE|DELETE) https?://[^/\s]+/[^/\s]+/([A-Za-z][A-Za-z0-9]*)", System.Text.RegularExpressions.RegexOptions.Multiline);
        return match.Success ? $"table POST $batch {match.Groups[1].Value}" : "table POST $batch";
    }
}
