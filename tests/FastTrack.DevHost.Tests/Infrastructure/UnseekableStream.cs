namespace FastTrack.DevHost.Tests.Infrastructure;

/// <summary>A stream that cannot tell its length, so a request with it as content goes out chunked, without Content-Length.</summary>
public sealed class UnseekableStream(byte[] content) : MemoryStream(content)
{
    public override bool CanSeek => false;
}
