using System.Diagnostics;
using System.Globalization;
using FastTrack.Storage.Queues;
using FastTrack.Storage.Tables;

namespace FastTrack.Bench.Workflow;

internal sealed record RawResult(string Kind, int Concurrency, int Count, TimeSpan Elapsed)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}

/// <summary>Single storage operations with our own clients: the floor every workflow round trip stands on.</summary>
internal sealed class RawStorage(string connectionString, string runId)
{
    public static readonly string[] Kinds = ["table insert", "table point read", "queue put", "queue get+delete"];

    private readonly TableClient _table = new(connectionString, "BenchRaw" + runId);
    private readonly QueueClient _queue = new(connectionString, "bench-raw-" + runId);
    private int _inserted;

    public async Task PrepareAsync()
    {
        await _table.CreateIfNotExistsAsync();
        await _queue.CreateIfNotExistsAsync();
        // Warm-up: connections open, JIT done.
        await RunAsync("table insert", 200, 8);
        await RunAsync("table point read", 200, 8);
        await RunAsync("queue put", 200, 8);
        await RunAsync("queue get+delete", 100, 8);
    }

    public async Task<RawResult> RunAsync(string kind, int count, int concurrency)
    {
        if (kind == "queue get+delete")
        {
            // Enough visible messages for every get, put beforehand (not timed).
            await RunAsync("queue put", count / 2, 8);
        }

        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            // A get+delete is two operations: count operations are count / 2 pairs.
            var operations = kind == "queue get+delete" ? count / 2 : count;
            while (Interlocked.Increment(ref next) < operations)
            {
                switch (kind)
                {
                    case "table insert":
                        var n = Interlocked.Increment(ref _inserted);
                        await _table.AddEntityAsync(new TableEntity("p" + (n % 64).ToString(CultureInfo.InvariantCulture), n.ToString("D9", CultureInfo.InvariantCulture))
                        {
                            ["Payload"] = "a small entity, like a partner's last-assigned time or a pending-dispatch mark",
                            ["Since"] = DateTimeOffset.UtcNow,
                        });
                        break;
                    case "table point read":
                        var k = Random.Shared.Next(1, Math.Max(2, _inserted));
                        await _table.GetEntityIfExistsAsync("p" + (k % 64).ToString(CultureInfo.InvariantCulture), k.ToString("D9", CultureInfo.InvariantCulture));
                        break;
                    case "queue put":
                        await _queue.SendMessageAsync("{\"referralId\":\"0123456789abcdef0123456789abcdef\"}");
                        break;
                    case "queue get+delete":
                        // What the trigger loop does with each message: receive it, then delete it.
                        var got = await _queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5));
                        if (got.Value.Count == 0)
                        {
                            throw new InvalidOperationException("The raw queue ran dry.");
                        }

                        await _queue.DeleteMessageAsync(got.Value[0].MessageId, got.Value[0].PopReceipt);
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
                }
            }
        }));
        clock.Stop();
        return new RawResult(kind, concurrency, kind == "queue get+delete" ? count / 2 * 2 : count, clock.Elapsed);
    }
}
