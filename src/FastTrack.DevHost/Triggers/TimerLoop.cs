using Microsoft.Extensions.Options;
using NCrontab;

namespace FastTrack.DevHost.Triggers;

/// <summary>
/// Runs the timer functions. Occurrences are computed on the app's clock (a <see cref="TimeProvider"/>), and polled in
/// real time, so advancing the development clock makes due timers fire within one polling interval. Like the Functions
/// host, a timer that missed several occurrences runs once. Timers due at the same poll run one after another, in the
/// order they are declared.
/// </summary>
internal sealed partial class TimerLoop(
    IEnumerable<LocalTrigger> functions,
    IServiceProvider services,
    TimeProvider clock,
    IOptions<TriggerLoopOptions> options,
    ILogger<TimerLoop> logger) : BackgroundService
{
    private static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        var timers = functions.OfType<LocalTimerTrigger>()
            .Select(timer => new ScheduledTimer(timer, CrontabSchedule.Parse(timer.Schedule(services), WithSeconds), now))
            .ToList();
        if (timers.Count == 0)
        {
            return;
        }

        using var poll = new PeriodicTimer(options.Value.PollingInterval);
        while (await poll.WaitForNextTickAsync(stoppingToken))
        {
            now = clock.GetUtcNow();
            foreach (var timer in timers.Where(timer => timer.Next <= now))
            {
                await RunAsync(timer, now, stoppingToken);
            }
        }
    }

    private async Task RunAsync(ScheduledTimer timer, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await timer.Function.RunAsync(services, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The Functions host does not retry a failed timer run either; the next occurrence runs as scheduled.
            LogTimerFailed(timer.Function.FunctionName, exception);
        }

        timer.Next = timer.NextAfter(now);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {FunctionName} failed")]
    private partial void LogTimerFailed(string functionName, Exception exception);

    private sealed class ScheduledTimer(LocalTimerTrigger function, CrontabSchedule schedule, DateTimeOffset now)
    {
        public LocalTimerTrigger Function { get; } = function;

        public DateTimeOffset Next { get; set; } = NextAfter(schedule, now);

        public DateTimeOffset NextAfter(DateTimeOffset instant) => NextAfter(schedule, instant);

        private static DateTimeOffset NextAfter(CrontabSchedule schedule, DateTimeOffset instant) =>
            new(DateTime.SpecifyKind(schedule.GetNextOccurrence(instant.UtcDateTime), DateTimeKind.Utc));
    }
}
