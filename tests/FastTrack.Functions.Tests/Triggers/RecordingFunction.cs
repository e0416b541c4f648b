using System.Collections.Concurrent;
using FastTrack.Functions.Triggers;

namespace FastTrack.Functions.Tests.Triggers;

/// <summary>
/// A function registered by a test through the same declaration the app's own functions use. It records every
/// invocation and fails while <see cref="ShouldFail"/> says so, to exercise retries and poisoning.
/// </summary>
public sealed class RecordingFunction(string name, Trigger trigger, Func<InvocationRequest, int, bool>? shouldFail = null)
    : ITriggeredFunction
{
    private readonly Func<InvocationRequest, int, bool> _shouldFail = shouldFail ?? ((_, _) => false);

    public string Name => name;

    public Trigger Trigger => trigger;

    public ConcurrentQueue<InvocationRequest> Invocations { get; } = new();

    public int Count(Func<InvocationRequest, bool> which) => Invocations.Count(which);

    public Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        Invocations.Enqueue(request);
        return _shouldFail(request, Invocations.Count)
            ? throw new InvalidOperationException($"{name} fails on purpose.")
            : Task.FromResult(InvocationResponse.Done($"{name} ran"));
    }
}
