using Azure.Core;
using Azure.Core.Pipeline;

namespace FastTrack.DevHost.Tests.Infrastructure;

/// <summary>
/// A pipeline policy for an SDK client in a test: runs <paramref name="action"/> once, just before the first request
/// that <paramref name="matches"/> is sent, so that another writer wins a race at exactly the moment the code under
/// test can lose it.
/// </summary>
public sealed class BeforeFirstRequest(Func<Request, bool> matches, Func<Task> action) : HttpPipelinePolicy
{
    private int _ran;

    /// <summary>A request of <paramref name="method"/> whose path ends with <paramref name="pathEnd"/> (escaped as sent).</summary>
    public static Func<Request, bool> To(RequestMethod method, string pathEnd) =>
        request => request.Method == method && request.Uri.Path.EndsWith(pathEnd, StringComparison.Ordinal);

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (matches(message.Request) && Interlocked.Exchange(ref _ran, 1) == 0)
        {
            await action();
        }

        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The app calls storage asynchronously only.");
}
