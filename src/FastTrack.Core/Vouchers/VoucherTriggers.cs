using FastTrack.Core.Referrals;
using FastTrack.Functions.Triggers;

namespace FastTrack.Core.Vouchers;

/// <summary>Queue <c>voucher-dispatch</c>: sends the emails waiting in one voucher's outbox.</summary>
internal sealed class VoucherDispatchFunction(VoucherDispatcher dispatcher) : ITriggeredFunction
{
    public string Name => "VoucherDispatch";

    public Trigger Trigger { get; } = new QueueTrigger(VoucherServiceCollectionExtensions.DispatchQueueName);

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var voucherId = DispatchRequests.Parse(request.QueueMessageText(Trigger)).Id;
        var done = await dispatcher.DispatchAsync(voucherId, cancellationToken);
        return InvocationResponse.Done($"Voucher {voucherId}: {done} effects performed");
    }
}

/// <summary>
/// The expiry sweep (SPEC §9). The rules are daily (reminders 30 and 7 days before expiry, expiry the day after the
/// expiry date, all in UTC); the sweep runs hourly so that a failed run is retried within the hour, and each run
/// reads only what is due (<see cref="VoucherCalendar"/>), so running it more often costs nothing. Each task is done
/// through the voucher's commit, which records a reminder as sent, so a rerun sends nothing twice. It also
/// re-requests dispatch for voucher outboxes that waited too long.
/// </summary>
internal sealed partial class VoucherSweepFunction(
    VoucherCalendar calendar,
    VoucherService vouchers,
    [FromKeyedServices(VoucherServiceCollectionExtensions.Key)] PendingDispatch pending,
    [FromKeyedServices(VoucherServiceCollectionExtensions.Key)] DispatchRequests dispatch,
    TimeProvider clock,
    ILogger<VoucherSweepFunction> logger) : ITriggeredFunction
{
    public string Name => "VoucherSweep";

    public Trigger Trigger { get; } = new TimerTrigger("0 0 * * * *");

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var due = await calendar.DueAsync(DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        var changed = 0;
        foreach (var task in due)
        {
            var change = task.Kind == VoucherTaskKind.Reminder
                ? await vouchers.RemindAsync(task.VoucherId, task.On, cancellationToken)
                : await vouchers.ExpireAsync(task.VoucherId, cancellationToken);
            if (change?.Succeeded == true)
            {
                changed++;
                LogDone(task.VoucherId, task.Kind, task.On);
            }

            await calendar.DoneAsync(task, cancellationToken);
        }

        var stranded = await pending.RedispatchStrandedAsync(dispatch, now, cancellationToken);
        return InvocationResponse.Done($"{due.Count} voucher tasks due, {changed} reminders or expiries, {stranded} outboxes re-dispatched");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Voucher {VoucherId}: {Kind} of {On} done")]
    private partial void LogDone(string voucherId, VoucherTaskKind kind, DateOnly on);
}
