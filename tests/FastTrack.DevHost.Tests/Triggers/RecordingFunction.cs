using System.Collections.Concurrent;
using FastTrack.DevHost.Triggers;

namespace FastTrack.DevHost.Tests.Triggers;

/// <summary>
/// A function a test registers through the same declarations the dev host's own use (<see cref="LocalTrigger"/>). It
/// records what every call was given (a message's text, a blob's name; empty for a timer) and fails while
/// <paramref name="shouldFail"/> says so (given the input and the number of calls so far), to exercise retries and
/// poisoning.
/// </summary>
public sealed class RecordingFunction(string name, Func<string, int, bool>? shouldFail = null)
{
    private readonly Func<string, int, bool> _shouldFail = shouldFail ?? ((_, _) => false);

    public ConcurrentQueue<string> Calls { get; } = new();

    public int Count(string input) => Calls.Count(call => call == input);

    public LocalTrigger OnQueue(string queueName) => new LocalQueueTrigger(name, queueName, (_, message, _) => RunAsync(message));

    public LocalTrigger OnBlob(string container) => new LocalBlobTrigger(name, container, (_, blobName, _) => RunAsync(blobName));

    public LocalTrigger OnTimer(string schedule) => new LocalTimerTrigger(name, "Test:Schedule", _ => schedule, (_, _) => RunAsync(string.Empty));

    private Task RunAsync(string input)
    {
        Calls.Enqueue(input);
        return _shouldFail(input, Calls.Count)
            ? throw new InvalidOperationException($"{name} fails on purpose.")
            : Task.CompletedTask;
    }
}
