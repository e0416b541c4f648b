using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace FastTrack.Bench.Workflow;

/// <summary>
/// Watches the <c>DevMailbox</c> table, where the app's local Graph endpoint stores every mail it accepts, for each
/// referral's partner notification. It reads Azurite directly (not through the counting proxy), so its queries are
/// not counted as the app's round trips.
/// </summary>
internal sealed class MailWatcher : IAsyncDisposable
{
    private readonly TableClient _mailbox;
    private readonly TimeSpan _interval;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _sent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<DateTimeOffset>> _waiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seenMail = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;
    private DateTimeOffset _floor;

    public MailWatcher(string directConnectionString, TimeSpan interval)
    {
        _mailbox = new TableClient(directConnectionString, "DevMailbox");
        _interval = interval;
        // Row keys start with the send time's ticks; concurrent saves may land out of order, so look back a little.
        _floor = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5);
        _polling = PollAsync();
    }

    public long Queries { get; private set; }

    /// <summary>When the referral's first mail to a partner was sent (the app's clock, which the bench never moves).</summary>
    public Task<DateTimeOffset> PartnerNotifiedAsync(string referralId)
    {
        lock (_lock)
        {
            if (_sent.TryGetValue(referralId, out var at))
            {
                return Task.FromResult(at);
            }

            if (!_waiting.TryGetValue(referralId, out var waiter))
            {
                waiter = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiting[referralId] = waiter;
            }

            return waiter.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _polling;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var floorKey = _floor.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"mail"} and RowKey ge {floorKey}");
                Queries++;
                await foreach (var mail in _mailbox.QueryAsync<TableEntity>(filter, select: ["MailId", "To", "SentAt"], cancellationToken: _stop.Token))
                {
                    Seen(mail);
                }
            }
            catch (RequestFailedException missing) when (missing.Status == 404)
            {
                // no mail yet: the table is made with the first one
            }

            await Task.Delay(_interval, _stop.Token);
        }
    }

    private void Seen(TableEntity mail)
    {
        var mailId = mail.GetString("MailId") ?? mail.RowKey;
        var sentAt = mail.GetDateTimeOffset("SentAt") ?? DateTimeOffset.UtcNow;
        lock (_lock)
        {
            if (!_seenMail.Add(mailId))
            {
                return;
            }

            if (sentAt - TimeSpan.FromSeconds(5) > _floor)
            {
                _floor = sentAt - TimeSpan.FromSeconds(5);
            }

            if (!(mail.GetString("To") ?? string.Empty).Contains("@partners.example", StringComparison.Ordinal))
            {
                return;
            }

            var referralId = mailId.Split(':', 2)[0];
            if (_sent.TryAdd(referralId, sentAt) && _waiting.Remove(referralId, out var waiter))
            {
                waiter.SetResult(sentAt);
            }
        }
    }
}
