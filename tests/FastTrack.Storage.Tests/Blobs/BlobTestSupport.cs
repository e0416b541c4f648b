using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FastTrack.Storage.Tests.Blobs;

/// <summary>Records which blob operation each request is, so that a test can see how an upload was split.</summary>
internal sealed class RequestRecorder : HttpPipelineSynchronousPolicy
{
    public ConcurrentQueue<string> Operations { get; } = new();

    public override void OnSendingRequest(HttpMessage message)
    {
        var query = message.Request.Uri.Query;
        Operations.Enqueue((message.Request.Method.Method, query) switch
        {
            ("PUT", "") => "Put Blob",
            ("PUT", _) when query.Contains("comp=blocklist", StringComparison.Ordinal) => "Put Block List",
            ("PUT", _) when query.Contains("comp=block&", StringComparison.Ordinal) => "Put Block",
            ("GET", "") => "Get Blob",
            _ => $"{message.Request.Method} {query}",
        });
    }
}

/// <summary>A stream that can only be read forward and does not know its length, like a request body.</summary>
internal sealed class ForwardOnlyStream(byte[] content) : Stream
{
    private readonly MemoryStream _inner = new(content);

    public int LargestRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        // Hand out odd-sized pieces, as a network stream would.
        var read = _inner.Read(buffer, offset, Math.Min(count, 7_000));
        LargestRead = Math.Max(LargestRead, count);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _inner.Dispose();
        base.Dispose(disposing);
    }
}
