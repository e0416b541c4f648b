using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure;
using Azure.Core;
using FastTrack.Storage.Core;

namespace FastTrack.Storage.Queues;

/// <summary>
/// One Storage queue: send, receive, update, delete and peek messages. Bodies are base64-encoded by default so that
/// the Azure Functions queue trigger can read what we send (see <see cref="QueueClientOptions.MessageEncoding"/>).
/// </summary>
public sealed class QueueClient
{
    /// <summary>The service's limit on a message's text in UTF-8 bytes, after encoding (base64 adds a third).</summary>
    public const int MaxMessageTextBytes = 64 * 1024;

    /// <summary>The service refuses longer visibility timeouts; longer timers must be re-armed by the caller.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    private const int MaxMessagesPerReceive = 32;

    private readonly StorageClientContext _context;
    private readonly QueueMessageEncoding _encoding;

    public QueueClient(string connectionString, string queueName, QueueClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), queueName, options ?? new QueueClientOptions())
    {
    }

    public QueueClient(
        Uri queueServiceEndpoint, string queueName, TokenCredential credential, QueueClientOptions? options = null)
        : this(queueServiceEndpoint, credential, queueName, options ?? new QueueClientOptions())
    {
    }

    private QueueClient(StorageConnectionString account, string queueName, QueueClientOptions options)
        : this(
            StorageClientContext.Create(account.QueueEndpoint, StorageService.Queue, account.Credential, options),
            queueName,
            options)
    {
    }

    private QueueClient(Uri endpoint, TokenCredential credential, string queueName, QueueClientOptions options)
        : this(StorageClientContext.Create(endpoint, credential, options), queueName, options)
    {
    }

    private QueueClient(StorageClientContext context, string queueName, QueueClientOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(queueName);
        _context = context;
        _encoding = options.MessageEncoding;
        Name = queueName;
        Uri = StorageProtocol.AppendPath(context.Endpoint, queueName);
    }

    public string Name { get; }

    public Uri Uri { get; }

    private Uri MessagesUri => StorageProtocol.AppendPath(Uri, "messages");

    /// <summary>Creates the queue; returns null when it already exists.</summary>
    public async Task<Response?> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _context.CreateMessage(RequestMethod.Put, Uri);
        var response = await _context.SendUnlessAsync(message, "QueueAlreadyExists", cancellationToken)
            .ConfigureAwait(false);
        // Azure answers 204 rather than 409 when an identical queue already exists.
        return response?.Status == 201 ? response : null;
    }

    public async Task<Response<bool>> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _context.CreateMessage(RequestMethod.Delete, Uri);
        var response = await _context.SendUnlessAsync(message, "QueueNotFound", cancellationToken).ConfigureAwait(false);
        return Response.FromValue(response is not null, response ?? message.Response);
    }

    public Task<Response<SendReceipt>> SendMessageAsync(
        string messageText,
        TimeSpan? visibilityTimeout = null,
        TimeSpan? timeToLive = null,
        CancellationToken cancellationToken = default) =>
        SendMessageAsync(BinaryData.FromString(messageText), visibilityTimeout, timeToLive, cancellationToken);

    /// <summary>Adds a message, invisible for <paramref name="visibilityTimeout"/> (a durable timer's delay).</summary>
    /// <param name="timeToLive">How long the message lives; the service's default is 7 days;
    /// <see cref="Timeout.InfiniteTimeSpan"/> means it never expires.</param>
    /// <exception cref="ArgumentOutOfRangeException">The delay is negative or over 7 days.</exception>
    /// <exception cref="ArgumentException">The encoded body exceeds <see cref="MaxMessageTextBytes"/>; refused
    /// here before sending, where the service would answer 413 RequestBodyTooLarge.</exception>
    public async Task<Response<SendReceipt>> SendMessageAsync(
        BinaryData body,
        TimeSpan? visibilityTimeout = null,
        TimeSpan? timeToLive = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var text = Encode(body);
        using var message = _context.CreateMessage(RequestMethod.Post, MessagesUri);
        if (visibilityTimeout is { } delay)
        {
            message.Request.Uri.AppendQuery("visibilitytimeout", VisibilitySeconds(delay, nameof(visibilityTimeout)));
        }

        if (timeToLive is { } ttl)
        {
            message.Request.Uri.AppendQuery("messagettl", TimeToLiveSeconds(ttl));
        }

        message.Request.SetXmlContent(MessageXml(text));
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var sent = StorageProtocol.ReadXml(response).Element("QueueMessage")
            ?? throw new InvalidOperationException("The service did not describe the message it accepted.");
        string Field(string name) => sent.Element(name)?.Value
            ?? throw new InvalidOperationException($"The send receipt has no {name}.");
        return Response.FromValue(
            new SendReceipt(
                Field("MessageId"),
                Field("PopReceipt"),
                StorageProtocol.ParseDate(Field("InsertionTime")),
                StorageProtocol.ParseDate(Field("ExpirationTime")),
                StorageProtocol.ParseDate(Field("TimeNextVisible"))),
            response);
    }

    /// <summary>
    /// Receives up to <paramref name="maxMessages"/> visible messages and hides them for
    /// <paramref name="visibilityTimeout"/> (the service's default is 30 seconds); each receipt raises its dequeue count.
    /// </summary>
    public async Task<Response<IReadOnlyList<QueueMessage>>> ReceiveMessagesAsync(
        int maxMessages = 1, TimeSpan? visibilityTimeout = null, CancellationToken cancellationToken = default)
    {
        using var message = GetMessagesRequest(maxMessages);
        if (visibilityTimeout is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.FromSeconds(1), nameof(visibilityTimeout));
            message.Request.Uri.AppendQuery("visibilitytimeout", VisibilitySeconds(timeout, nameof(visibilityTimeout)));
        }

        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue<IReadOnlyList<QueueMessage>>(ReadMessages(response, xml => new QueueMessage(xml, _encoding)), response);
    }

    /// <summary>Reads up to <paramref name="maxMessages"/> visible messages without hiding them or counting a dequeue.</summary>
    public async Task<Response<IReadOnlyList<PeekedMessage>>> PeekMessagesAsync(
        int maxMessages = 1, CancellationToken cancellationToken = default)
    {
        using var message = GetMessagesRequest(maxMessages);
        message.Request.Uri.AppendQuery("peekonly", "true");
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue<IReadOnlyList<PeekedMessage>>(ReadMessages(response, xml => new PeekedMessage(xml, _encoding)), response);
    }

    /// <summary>
    /// Hides a received message for <paramref name="visibilityTimeout"/> from now and, when <paramref name="body"/>
    /// is given, replaces its body. The old pop receipt stops working: use the returned one.
    /// </summary>
    public async Task<Response<UpdateReceipt>> UpdateMessageAsync(
        string messageId,
        string popReceipt,
        BinaryData? body = null,
        TimeSpan visibilityTimeout = default,
        CancellationToken cancellationToken = default)
    {
        using var message = MessageRequest(RequestMethod.Put, messageId, popReceipt);
        message.Request.Uri.AppendQuery("visibilitytimeout", VisibilitySeconds(visibilityTimeout, nameof(visibilityTimeout)));
        if (body is not null)
        {
            message.Request.SetXmlContent(MessageXml(Encode(body)));
        }

        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(
            new UpdateReceipt(
                StorageProtocol.RequiredHeader(response, "x-ms-popreceipt"),
                StorageProtocol.DateHeader(response, "x-ms-time-next-visible")),
            response);
    }

    /// <summary>Deletes a received message.</summary>
    /// <exception cref="RequestFailedException">404 MessageNotFound when the message is gone (already deleted or
    /// expired); 400 PopReceiptMismatch when it was received again, or updated, since this pop receipt was issued.</exception>
    public async Task<Response> DeleteMessageAsync(
        string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        using var message = MessageRequest(RequestMethod.Delete, messageId, popReceipt);
        return await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The queue's approximate message count (it includes invisible messages, and lags behind).</summary>
    public async Task<Response<QueueProperties>> GetPropertiesAsync(CancellationToken cancellationToken = default)
    {
        using var message = _context.CreateMessage(RequestMethod.Get, Uri);
        message.Request.Uri.AppendQuery("comp", "metadata");
        var response = await _context.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var count = int.Parse(
            StorageProtocol.RequiredHeader(response, "x-ms-approximate-messages-count"), CultureInfo.InvariantCulture);
        return Response.FromValue(new QueueProperties(count), response);
    }

    private HttpMessage GetMessagesRequest(int maxMessages)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessages, MaxMessagesPerReceive);
        var message = _context.CreateMessage(RequestMethod.Get, MessagesUri);
        message.Request.Uri.AppendQuery("numofmessages", maxMessages.ToString(CultureInfo.InvariantCulture));
        return message;
    }

    private HttpMessage MessageRequest(RequestMethod method, string messageId, string popReceipt)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        var message = _context.CreateMessage(method, StorageProtocol.AppendPath(MessagesUri, messageId));
        message.Request.Uri.AppendQuery("popreceipt", popReceipt);
        return message;
    }

    private static List<T> ReadMessages<T>(Response response, Func<XElement, T> read) =>
        StorageProtocol.ReadXml(response).Elements("QueueMessage").Select(read).ToList();

    private string Encode(BinaryData body)
    {
        var text = _encoding == QueueMessageEncoding.Base64 ? Convert.ToBase64String(body.ToMemory().Span) : body.ToString();
        var size = Encoding.UTF8.GetByteCount(text);
        return size <= MaxMessageTextBytes
            ? text
            : throw new ArgumentException(
                $"The message text is {size} bytes once encoded ({_encoding}); a queue message holds at most " +
                $"{MaxMessageTextBytes}. Store large content in a blob and enqueue its name.",
                nameof(body));
    }

    // XElement escapes '<', '&' and friends; it throws for characters XML cannot carry at all.
    private static XElement MessageXml(string text) => new("QueueMessage", new XElement("MessageText", text));

    private static string VisibilitySeconds(TimeSpan value, string parameterName)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, parameterName);
        var seconds = StorageProtocol.Seconds(value);
        return seconds <= StorageProtocol.Seconds(MaxVisibilityTimeout)
            ? seconds.ToString(CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(
                parameterName, value, "A queue message can be hidden for at most 7 days; re-arm longer timers.");
    }

    private static string TimeToLiveSeconds(TimeSpan value)
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            return "-1";
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero, "timeToLive");
        return StorageProtocol.Seconds(value).ToString(CultureInfo.InvariantCulture);
    }
}
