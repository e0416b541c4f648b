using FastTrack.Core.Mail;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FastTrack.DevHost.DevTools;

/// <summary>Makes the next <see cref="Count"/> <c>sendMail</c> calls answer <see cref="Status"/> (with Retry-After).</summary>
public sealed record MailFault(int Status, int RetryAfterSeconds, int Count);

/// <summary>
/// Development only: a small Graph-compatible server on its own Kestrel at <c>127.0.0.1</c> and a free port, answering
/// <c>POST /v1.0/users/{id}/sendMail</c> with 202 like Graph and keeping each message in the <see cref="DevMailbox"/>,
/// whose mail it lists, searches and permanently deletes as Graph does a mailbox's Sent Items.
/// The app's Graph client is pointed at it, so the production sending code is what runs locally and in tests.
/// </summary>
/// <remarks>
/// It has a socket of its own because the app may have none: under WebApplicationFactory's TestServer the main app is
/// in memory, and the Graph SDK can only reach a real address. It is a bare <see cref="KestrelServer"/>, not a second
/// host: building a host announces it process-wide, and a WebApplicationFactory starting meanwhile in the same
/// process (tests run in parallel) would take that host for its own app's.
/// </remarks>
public sealed partial class DevGraphEndpoint(DevMailbox mailbox, TimeProvider time, ILogger<DevGraphEndpoint> logger)
    : IHostedService, IAsyncDisposable
{
    private const string SentItems = "sentitems";
    private const string RecipientsSearch = "recipients:";

    private readonly Lock _lock = new();
    private KestrelServer? _server;
    private ServiceProvider? _services;
    private Uri? _baseUrl;
    private MailFault? _fault;

    /// <summary>The Graph base URL to give the SDK (<c>http://127.0.0.1:{port}/v1.0</c>); starts the server if need be.</summary>
    /// <remarks>
    /// Whoever needs it first starts it, because the Graph client may be built (by a hosted service that sends mail)
    /// before this service's own <see cref="StartAsync"/> has run; hosted services start in registration order.
    /// Blocking on Kestrel's start is safe here: ASP.NET Core has no synchronization context, and it happens once.
    /// </remarks>
    public Uri BaseUrl
    {
        get
        {
            lock (_lock)
            {
                if (_baseUrl is null)
                {
                    _services = new ServiceCollection().AddLogging().BuildServiceProvider();
                    var options = new KestrelServerOptions { ApplicationServices = _services };
                    ListenOptions? listen = null;
                    options.Listen(IPAddress.Loopback, 0, bound => listen = bound);
                    var server = new KestrelServer(
                        Options.Create(options),
                        new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance),
                        NullLoggerFactory.Instance);
                    server.StartAsync(new GraphApplication(this, _services), CancellationToken.None).GetAwaiter().GetResult();
                    _server = server;

                    // Kestrel writes the port it was given into the endpoint it bound.
                    _baseUrl = new Uri($"http://127.0.0.1:{listen!.IPEndPoint!.Port}/v1.0");
                    LogListening(_baseUrl);
                }

                return _baseUrl;
            }
        }
    }

    /// <summary>Replaces any pending fault; a count of 0 clears it.</summary>
    public void InjectFault(MailFault fault)
    {
        lock (_lock)
        {
            _fault = fault.Count > 0 ? fault : null;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = BaseUrl;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        KestrelServer? server;
        lock (_lock)
        {
            server = _server;
        }

        if (server is not null)
        {
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _server?.Dispose();
        if (_services is not null)
        {
            await _services.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Graph's routes this endpoint answers, matched by method and path; anything else is Graph's 404.</summary>
    private Task<IResult> RouteAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = request.Path.Value!.Trim('/').Split('/');
        var cancellationToken = context.RequestAborted;
        return (request.Method, segments) switch
        {
            ("POST", ["v1.0", "users", var user, "sendMail"]) => SendMailAsync(user, request, cancellationToken),
            ("GET", ["v1.0", "users", var user, "mailFolders", var folder, "messages"]) =>
                ListSentItemsAsync(user, folder, request, cancellationToken),
            ("POST", ["v1.0", "users", var user, "mailFolders", var folder, "messages", var id, "permanentDelete"]) =>
                PermanentDeleteAsync(user, folder, id, cancellationToken),
            _ => Task.FromResult(GraphError(StatusCodes.Status404NotFound, "ResourceNotFound", "The local endpoint does not serve this route.")),
        };
    }

    /// <summary>Kestrel's request loop for the endpoint: one <see cref="HttpContext"/> per request, answered by <see cref="RouteAsync"/>.</summary>
    private sealed class GraphApplication(DevGraphEndpoint endpoint, IServiceProvider services) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) =>
            new DefaultHttpContext(contextFeatures) { RequestServices = services };

        public async Task ProcessRequestAsync(HttpContext context)
        {
            var result = await endpoint.RouteAsync(context).ConfigureAwait(false);
            await result.ExecuteAsync(context).ConfigureAwait(false);
        }

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }

    /// <summary>
    /// Graph's list messages, on Sent Items only (the mail the endpoint accepted from that user), newest first, with
    /// the part of <c>$search</c> the app uses: a quoted value found in from, subject or body, or
    /// <c>"recipients:value"</c> found among to and cc; case-insensitive. Pages by <c>$top</c> (10 unless given, as
    /// Graph) with <c>@odata.nextLink</c>; <c>$select</c> is ignored, every property comes back.
    /// </summary>
    private async Task<IResult> ListSentItemsAsync(string user, string folder, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!string.Equals(folder, SentItems, StringComparison.OrdinalIgnoreCase))
        {
            return GraphError(StatusCodes.Status404NotFound, "ErrorItemNotFound", "The local endpoint keeps only Sent Items.");
        }

        var search = request.Query["$search"].ToString().Trim('"');
        Func<DevMail, bool>? matches = search switch
        {
            "" => _ => true,
            _ when search.StartsWith(RecipientsSearch, StringComparison.OrdinalIgnoreCase) =>
                mail => Contains(mail.To.Concat(mail.Cc), search[RecipientsSearch.Length..]),
            _ when search.Contains(':', StringComparison.Ordinal) => null,
            _ => mail => Contains([mail.From, mail.Subject, mail.Html], search),
        };
        if (matches is null)
        {
            return GraphError(StatusCodes.Status400BadRequest, "BadRequest", $"The local endpoint does not support the search {search}.");
        }

        var top = int.TryParse(request.Query["$top"], CultureInfo.InvariantCulture, out var size) && size > 0 ? size : 10;
        var skip = int.TryParse(request.Query["$skiptoken"], CultureInfo.InvariantCulture, out var skipped) ? skipped : 0;
        var found = (await mailbox.StoredAsync(cancellationToken).ConfigureAwait(false))
            .Where(stored => string.Equals(stored.Mail.From, user, StringComparison.OrdinalIgnoreCase) && matches(stored.Mail))
            .Reverse()
            .ToList();
        var page = new Dictionary<string, object?>
        {
            ["value"] = found.Skip(skip).Take(top).Select(GraphMessage).ToList(),
        };
        if (skip + top < found.Count)
        {
            page["@odata.nextLink"] = $"{request.Scheme}://{request.Host}{request.Path}" + QueryString.Create(
            [
                new KeyValuePair<string, string?>("$search", request.Query["$search"]),
                new KeyValuePair<string, string?>("$top", top.ToString(CultureInfo.InvariantCulture)),
                new KeyValuePair<string, string?>("$skiptoken", (skip + top).ToString(CultureInfo.InvariantCulture)),
            ]);
        }

        return Results.Json(page);
    }

    private async Task<IResult> PermanentDeleteAsync(string user, string folder, string id, CancellationToken cancellationToken)
    {
        if (!string.Equals(folder, SentItems, StringComparison.OrdinalIgnoreCase) ||
            !await mailbox.DeleteAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return GraphError(StatusCodes.Status404NotFound, "ErrorItemNotFound", $"There is no message {id} in {user}'s {folder}.");
        }

        LogDeleted(id);
        return Results.NoContent();
    }

    private static bool Contains(IEnumerable<string> fields, string value) =>
        fields.Any(field => field.Contains(value, StringComparison.OrdinalIgnoreCase));

    private static object GraphMessage(StoredDevMail stored) => new
    {
        id = stored.MessageId,
        subject = stored.Mail.Subject,
        sentDateTime = stored.Mail.SentAt,
        from = GraphRecipient(stored.Mail.From),
        toRecipients = stored.Mail.To.Select(GraphRecipient),
        ccRecipients = stored.Mail.Cc.Select(GraphRecipient),
        body = new { contentType = "html", content = stored.Mail.Html },
    };

    private static object GraphRecipient(string address) => new { emailAddress = new { address } };

    private async Task<IResult> SendMailAsync(string user, HttpRequest request, CancellationToken cancellationToken)
    {
        if (TakeFault() is { } fault)
        {
            LogFaultInjected(fault.Status);
            request.HttpContext.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return GraphError(fault.Status, ((HttpStatusCode)fault.Status).ToString(), "Injected by POST /api/_dev/mailbox/faults.");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            return GraphError(StatusCodes.Status400BadRequest, "BadRequest", exception.Message);
        }

        using (document)
        {
            // Kiota writes the request body's own keys in PascalCase (Message, SaveToSentItems) and the message's in
            // camelCase; Graph accepts either, so this reads every key case-insensitively.
            if (Property(document.RootElement, "message") is not { ValueKind: JsonValueKind.Object } message)
            {
                return GraphError(StatusCodes.Status400BadRequest, "ErrorInvalidRequest", "The request has no message.");
            }

            var from = Property(message, "from") is { ValueKind: JsonValueKind.Object } fromRecipient
                ? Address(fromRecipient) : user;
            var html = Property(message, "body") is { ValueKind: JsonValueKind.Object } body
                ? Property(body, "content")?.GetString() ?? string.Empty : string.Empty;
            var mail = new DevMail(
                MailId(message) ?? Guid.NewGuid().ToString(),
                from,
                Addresses(message, "toRecipients"),
                Addresses(message, "ccRecipients"),
                Property(message, "subject")?.GetString() ?? string.Empty,
                html,
                time.GetUtcNow(),
                DevMailbox.Links(html));
            await mailbox.SaveAsync(mail, cancellationToken).ConfigureAwait(false);
            LogStored(mail.Id, mail.Subject);
            return Results.Accepted();
        }
    }

    private MailFault? TakeFault()
    {
        lock (_lock)
        {
            var fault = _fault;
            _fault = fault is { Count: > 1 } ? fault with { Count = fault.Count - 1 } : null;
            return fault;
        }
    }

    /// <summary>Graph's error shape, so the SDK raises the same ODataError it would in production.</summary>
    private static IResult GraphError(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);

    private static JsonElement? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static string? MailId(JsonElement message) =>
        Property(message, "internetMessageHeaders") is { ValueKind: JsonValueKind.Array } headers
            ? headers.EnumerateArray()
                .Where(h => string.Equals(Property(h, "name")?.GetString(), GraphMailSender.MailIdHeader, StringComparison.OrdinalIgnoreCase))
                .Select(h => Property(h, "value")?.GetString())
                .FirstOrDefault()
            : null;

    private static string[] Addresses(JsonElement message, string name) =>
        Property(message, name) is { ValueKind: JsonValueKind.Array } recipients
            ? [.. recipients.EnumerateArray().Select(Address)]
            : [];

    private static string Address(JsonElement recipient) =>
        Property(recipient, "emailAddress") is { ValueKind: JsonValueKind.Object } email
            ? Property(email, "address")?.GetString() ?? string.Empty
            : string.Empty;

    [LoggerMessage(Level = LogLevel.Information, Message = "The local Graph endpoint for Development listens at {BaseUrl}")]
    private partial void LogListening(Uri baseUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "The local Graph endpoint stored mail {MailId}: {Subject}")]
    private partial void LogStored(string mailId, string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "The local Graph endpoint deleted mail {MessageId} for good")]
    private partial void LogDeleted(string messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The local Graph endpoint answered sendMail with an injected {Status}")]
    private partial void LogFaultInjected(int status);
}
