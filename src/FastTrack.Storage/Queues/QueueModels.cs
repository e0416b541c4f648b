using System.Globalization;
using System.Xml.Linq;
using FastTrack.Storage.Core;

namespace FastTrack.Storage.Queues;

/// <summary>What the service says about a message it has just accepted.</summary>
public sealed record SendReceipt(
    string MessageId, string PopReceipt, DateTimeOffset InsertedOn, DateTimeOffset ExpiresOn, DateTimeOffset NextVisibleOn);

/// <summary>The receipt that replaces the old one after an update; only the new pop receipt deletes the message.</summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleOn);

public sealed record QueueProperties(int ApproximateMessagesCount);

/// <summary>A message seen without being received: it stays visible and carries no pop receipt.</summary>
public class PeekedMessage
{
    private readonly QueueMessageEncoding _encoding;

    internal PeekedMessage(XElement xml, QueueMessageEncoding encoding)
    {
        _encoding = encoding;
        MessageId = Text(xml, "MessageId");
        MessageText = Text(xml, "MessageText");
        DequeueCount = long.Parse(Text(xml, "DequeueCount"), CultureInfo.InvariantCulture);
        InsertedOn = StorageProtocol.ParseDate(Text(xml, "InsertionTime"));
        ExpiresOn = StorageProtocol.ParseDate(Text(xml, "ExpirationTime"));
    }

    public string MessageId { get; }

    /// <summary>The text as stored, before decoding; readable even when <see cref="Body"/> cannot be decoded.</summary>
    public string MessageText { get; }

    /// <summary>
    /// The decoded body. Decoding happens here rather than on receipt so that one message that is not valid base64
    /// throws only for itself and can still be deleted or moved aside by its pop receipt.
    /// </summary>
    /// <exception cref="FormatException">The client expects base64 and the message text is not.</exception>
    public BinaryData Body
    {
        get
        {
            if (_encoding == QueueMessageEncoding.None)
            {
                return BinaryData.FromString(MessageText);
            }

            try
            {
                return BinaryData.FromBytes(Convert.FromBase64String(MessageText));
            }
            catch (FormatException failure)
            {
                throw new FormatException($"Queue message {MessageId} is not base64 text.", failure);
            }
        }
    }

    public long DequeueCount { get; }

    public DateTimeOffset InsertedOn { get; }

    public DateTimeOffset ExpiresOn { get; }

    private protected static string Text(XElement xml, string name) =>
        xml.Element(name)?.Value ?? throw new InvalidOperationException($"The queue message has no {name}.");
}

/// <summary>A received message: invisible to others until <see cref="NextVisibleOn"/>; its pop receipt deletes it.</summary>
public sealed class QueueMessage : PeekedMessage
{
    internal QueueMessage(XElement xml, QueueMessageEncoding encoding)
        : base(xml, encoding)
    {
        PopReceipt = Text(xml, "PopReceipt");
        NextVisibleOn = StorageProtocol.ParseDate(Text(xml, "TimeNextVisible"));
    }

    public string PopReceipt { get; }

    public DateTimeOffset NextVisibleOn { get; }
}
