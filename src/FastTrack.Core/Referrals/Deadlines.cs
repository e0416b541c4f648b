using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Referrals;

/// <summary>
/// The SLA timers of assignment parts. Each is kept twice: a row in table <c>ReferralDeadlines</c> keyed by due time,
/// which the sweep compares with the app's clock (a queue delay runs on real time, whatever the app's clock says), and
/// a delayed message on <c>referral-timers</c>, which fires on time without waiting for the sweep. Queue delays stop at
/// 7 days, so a longer wait is re-armed when the message comes back early.
/// </summary>
public sealed class Deadlines(StorageResources storage, TimeProvider clock)
{
    public const string TableName = "ReferralDeadlines";
    public const string QueueName = "referral-timers";
    private const string Partition = "due";
    private const string TimeFormat = "yyyyMMdd'T'HHmmssfff";

    /// <summary>The queue service refuses longer visibility timeouts: a longer wait is re-armed when the message comes back.</summary>
    private static readonly TimeSpan MaxQueueDelay = TimeSpan.FromDays(7);

    /// <summary>A message's time-to-live of -1 second: it never expires, however long it waits.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    public async Task ArmAsync(Deadline deadline, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        var row = new TableEntity(Partition, RowKey(deadline))
        {
            ["ReferralId"] = deadline.ReferralId,
            ["PartId"] = deadline.PartId,
            ["Attempt"] = deadline.Attempt,
            ["DueAt"] = deadline.DueAt,
        };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        await SendTimerAsync(deadline, cancellationToken);
    }

    /// <summary>Sends the timer message again, for the time still left (at most the queue's 7 days).</summary>
    public async Task SendTimerAsync(Deadline deadline, CancellationToken cancellationToken)
    {
        var queue = await storage.QueueAsync(QueueName, cancellationToken);
        var left = deadline.DueAt - clock.GetUtcNow();
        var delay = left <= TimeSpan.Zero ? TimeSpan.Zero
            : left > MaxQueueDelay ? MaxQueueDelay
            : left;
        await queue.SendMessageAsync(
            JsonSerializer.Serialize(deadline, JsonSerializerOptions.Web),
            visibilityTimeout: delay,
            timeToLive: NeverExpires,
            cancellationToken: cancellationToken);
    }

    /// <summary>Every deadline due at or before <paramref name="now"/>, earliest first.</summary>
    public async Task<IReadOnlyList<Deadline>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        // Row keys start with the due time, so "due by now" is a row key range; '~' sorts after every id character.
        var upTo = now.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture) + "|~";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey le {upTo}");
        var due = new List<Deadline>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            due.Add(new Deadline(
                row.GetString("ReferralId")!, row.GetString("PartId")!, row.GetInt32("Attempt")!.Value, row.GetDateTimeOffset("DueAt")!.Value));
        }

        return due;
    }

    public async Task DisarmAsync(Deadline deadline, CancellationToken cancellationToken)
    {
        var table = await storage.TableAsync(TableName, cancellationToken);
        await table.DeleteEntityAsync(Partition, RowKey(deadline), cancellationToken: cancellationToken);
    }

    public static Deadline Parse(string message) =>
        JsonSerializer.Deserialize<Deadline>(message, JsonSerializerOptions.Web)
        ?? throw new FormatException("The timer message is empty.");

    private static string RowKey(Deadline deadline) =>
        string.Join('|',
            deadline.DueAt.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture),
            deadline.ReferralId,
            deadline.PartId,
            deadline.Attempt.ToString(CultureInfo.InvariantCulture));
}

/// <summary>The SLA deadline of one assignment: part <paramref name="PartId"/>'s attempt <paramref name="Attempt"/>.</summary>
public sealed record Deadline(string ReferralId, string PartId, int Attempt, DateTimeOffset DueAt);
