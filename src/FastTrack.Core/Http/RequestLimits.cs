namespace FastTrack.Core.Http;

/// <summary>How much of a request body the app reads; over it, Kestrel stops reading and the answer is 413.</summary>
public static class RequestLimits
{
    /// <summary>
    /// 1 MiB: far above any JSON or form body of API.md (an RFA is about 1 KiB), far below what would tie up the app.
    /// A redemption upload raises it for its own request, to its document limit.
    /// </summary>
    public const long MaxBodyBytes = 1024 * 1024;
}
