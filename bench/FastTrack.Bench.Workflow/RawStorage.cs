using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace FastTrack.Bench.Workflow;

internal sealed record RawResult(string Kind, int Concurrency, int Count, TimeSpan Elapsed)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;
}

/// <summary>Single storage operations with the SDK's clients, as the app sends them: the floor every workflow round trip stands on.</summary>
internal sealed class RawStorage(string connectionString, string runId)
{
    public static readonly string[] Kinds = ["table insert", "table point read", "queue put", "queue get+delete+put"];

    // Base64 messages, as the app writes them for the Functions queue trigger.
    private static readonly QueueClientOptions AsTheAppQueues = new() { MessageEncoding = QueueMessageEncoding.Base64 };

    private readonly TableClient _table = new(connectionString, "BenchRaw" + runId);
    private readonly QueueClient _queue = new(connectionString, "bench-raw-" + runId, AsTheAppQueues);

    // Gets run on a queue of their own kept a few messages deep, like the app's dispatch queue: Azurite's receive slows
    // down with the queue's length (measured here: 10 gets/s on a queue 500 deep against ≈ 50/s on one 200 deep).
    private readonly QueueClient _cycle = new(connectionString, "bench-cycle-" + runId, AsTheAppQueues);
    private int _inserted;

    public async Task PrepareAsync()
    {
        await _table.CreateIfNotExistsAsync();
        await _queue.CreateIfNotExistsAsync();
        await _cycle.CreateIfNotExistsAsync();
        for (var i = 0; i < 16; i++)
        {
            await _cycle.SendMessageAsync("{\"referralId\":\"0123456789abcdef0123456789abcdef\"}");
        }

        // Warm-up: connections open, JIT done.
        await RunAsync("table insert", 200, 8);
        await RunAsync("table point read", 200, 8);
        await RunAsync("queue put", 200, 8);
        await RunAsync("queue get+delete+put", 150, 8);
    }

    public async Task<RawResult> RunAsync(string kind, int count, int concurrency)
    {
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            // A get+delete+put is three operations: count operations are count / 3 cycles.
            var operations = kind == "queue get+delete+put" ? count / 3 : count;
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
                        await _table.GetEntityIfExistsAsync<TableEntity>("p" + (k % 64).ToString(CultureInfo.InvariantCulture), k.ToString("D9", CultureInfo.InvariantCulture));
                        break;
                    case "queue put":
                        await _queue.SendMessageAsync("{\"referralId\":\"0123456789abcdef0123456789abcdef\"}");
                        break;
                    case "queue get+delete+put":
                        // What the trigger loop does with each message: receive it, then delete it; the put keeps the
                        // queue 16 deep (at most 8 messages are hidden by receivers at any time).
                        var got = await _cycle.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5));
                        if (got.Value.Length == 0)
                        {
                            throw new InvalidOperationException("The raw queue ran dry.");
                        }

                        await _cycle.DeleteMessageAsync(got.Value[0].MessageId, got.Value[0].PopReceipt);
                        await _cycle.SendMessageAsync("{\"referralId\":\"0123456789abcdef0123456789abcdef\"}");
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
                }
            }
        }));
        clock.Stop();
        return new RawResult(kind, concurrency, kind == "queue get+delete+put" ? count / 3 * 3 : count, clock.Elapsed);
    }
}
