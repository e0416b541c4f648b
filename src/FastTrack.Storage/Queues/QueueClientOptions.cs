using FastTrack.Storage.Core;

namespace FastTrack.Storage.Queues;

/// <summary>How a message body is written as queue message text.</summary>
public enum QueueMessageEncoding
{
    /// <summary>Base64 of the body's bytes: what the Azure Functions queue trigger expects by default.</summary>
    Base64,

    /// <summary>The body as UTF-8 text, XML-escaped on the wire.</summary>
    None,
}

public sealed class QueueClientOptions : StorageClientOptions
{
    public QueueMessageEncoding MessageEncoding { get; set; } = QueueMessageEncoding.Base64;
}
