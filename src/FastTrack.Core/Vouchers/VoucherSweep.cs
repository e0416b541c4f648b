using FastTrack.Core.Outbox;
using FastTrack.Core.Referrals;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// The expiry sweep (SPEC §9). The rules are daily (reminders 30 and 7 days before expiry, expiry the day after the
/// expiry date, all in UTC); the sweep runs hourly so that a failed run is retried within the hour, and each run
/// reads only what is due (<see cref="VoucherCalendar"/>), so running it more often costs nothing. Each task is done
/// through the voucher's commit, which records a reminder as sent, so a rerun sends nothing twice. It also
/// re-requests dispatch for voucher outboxes that waited too long. A timer function.
/// </summary>
public sealed partial class VoucherSweep(
    VoucherCalendar calendar,
    VoucherService vouchers,
    PendingDispatch pending,
    DispatchRequests dispatch,
    TimeProvider clock,
    ILogger<VoucherSweep> logger)
{
    public const string FunctionName = "VoucherSweep";

    public async Task RunAsync(CancellationToken cancellationToken)
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
        LogSwept(due.Count, changed, stranded);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Voucher {VoucherId}: {Kind} of {On} done")]
    private partial void LogDone(string voucherId, VoucherTaskKind kind, DateOnly on);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Due} voucher tasks due, {Changed} reminders or expiries, {Stranded} outboxes re-dispatched")]
    private partial void LogSwept(int due, int changed, int stranded);
}
