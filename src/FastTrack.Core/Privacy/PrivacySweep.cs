using FastTrack.Domain.Privacy;
using Microsoft.DurableTask.Client;

namespace FastTrack.Core.Privacy;

/// <summary>
/// The privacy backstop, a timer function (hourly by default): starts again the workflow of every open request whose
/// workflow never started or was last started over an hour ago (one already waiting or running is left as it is), and
/// warns operations about each request past its 30-day due date.
/// </summary>
public sealed partial class PrivacySweep(PrivacyRequests requests, TimeProvider clock, ILogger<PrivacySweep> logger)
{
    public const string FunctionName = "PrivacySweep";

    /// <summary>How long a request may stay open after its workflow was started before the sweep starts it again.</summary>
    public static readonly TimeSpan RestartAfter = TimeSpan.FromHours(1);

    public async Task RunAsync(DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var open = await requests.OpenAsync(cancellationToken);
        var restarted = 0;
        foreach (var stored in open)
        {
            if (stored.Request.IsOverdue(now))
            {
                LogOverdue(stored.Request.Id, stored.Request.Kind, stored.Request.DueBy);
            }

            if (stored.StartedAt is not { } startedAt || startedAt <= now - RestartAfter)
            {
                await PrivacyRequestWorkflow.StartAsync(workflows, requests, stored.Request.Id, now, cancellationToken);
                restarted++;
            }
        }

        LogSwept(open.Count, restarted);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Personal data request {RequestId} ({Kind}) is overdue: it was due by {DueBy}")]
    private partial void LogOverdue(string requestId, PrivacyRequestKind kind, DateTimeOffset dueBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Open} personal data requests open, {Started} workflows started again")]
    private partial void LogSwept(int open, int started);
}
