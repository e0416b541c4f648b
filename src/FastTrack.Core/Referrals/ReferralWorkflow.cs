using FastTrack.Domain.Referrals;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace FastTrack.Core.Referrals;

/// <summary>
/// One referral's workflow (SPEC §5–§8) as a Durable Task orchestration; its instance id is the referral id. The
/// referral's table partition stays the record and the <see cref="ReferralDecider"/> the judge: every step is an
/// <see cref="AdvanceReferral"/> activity that makes the transition due (match; time out) under the state row's ETag
/// and performs what each decision since the last step asked for (emails, round robin, events). Between steps the
/// workflow waits, for each assignment part still open, for the partner's response (the link handler makes the
/// transition itself and raises <see cref="ResponseEvent"/>), and, while the part is offered, for its SLA deadline on
/// a durable timer, cancelled when the part moves on. Split referrals wait on all their parts side by side. It ends
/// when every part is completed or with the referral processing team.
/// </summary>
/// <remarks>
/// Orchestrator code is replayed: time only from <see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>, no I/O,
/// nothing random. A change of behaviour goes under a new orchestrator name, so that waiting instances finish on this
/// code (README "Changing the referral workflow"). Inputs, outputs, events and custom status carry ids, versions and
/// statuses only, never personal data.
/// </remarks>
public sealed class ReferralWorkflow : TaskOrchestrator<ReferralWorkflowInput, ReferralStatus?>
{
    /// <summary>Raised on the dev host when its clock moves: deadlines are checked against the app's clock then.</summary>
    public const string ClockMovedEvent = "app-clock-moved";

    /// <summary>
    /// Intake schedules the workflow before it writes the referral (the intent first): the first step may come before
    /// the rows. It looks again this often before it decides that the intake never completed (the app stopped between
    /// the two; the client's retry of the submission starts a new workflow).
    /// </summary>
    private static readonly TimeSpan[] CreationWaits = Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2), 10);

    /// <summary>
    /// A link handler signals before it commits: a step may read the partition before the commit lands. The workflow
    /// reads again this often, then decides the commit never happened (a lost race, or the handler stopped).
    /// </summary>
    private static readonly TimeSpan[] SignalWaits = Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 6);

    private static readonly TaskOptions StepRetries = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    /// <summary>After a step failed all its retries (Graph or storage down): the pause before trying again. It never gives up.</summary>
    private static readonly TimeSpan FailedStepPause = TimeSpan.FromMinutes(5);

    /// <summary>A timer fired before the deadline on the app's clock (durable timers may, by up to a second) waits at least this again.</summary>
    private static readonly TimeSpan EarlyTimerRetry = TimeSpan.FromSeconds(1);

    /// <summary>Steps before the workflow continues as new, which keeps its history short; pending responses carry over.</summary>
    private const int StepsPerExecution = 100;

    /// <summary>The response event of one offer: one name per part and attempt, so a wait never takes another offer's.</summary>
    public static string ResponseEvent(string partId, int attempt) => $"response-{partId}-{attempt}";

    /// <summary>Schedules the referral's workflow, unless it is already waiting or running (a retried intake).</summary>
    public static async Task StartAsync(DurableTaskClient workflows, string referralId, bool followsAppClock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        try
        {
            await workflows.ScheduleNewOrchestrationInstanceAsync(
                nameof(ReferralWorkflow),
                new ReferralWorkflowInput(referralId, followsAppClock),
                new StartOrchestrationOptions(referralId).WithDedupeStatuses(OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running),
                cancellationToken);
        }
        catch (DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException)
        {
            // Already waiting or running: it will find the referral.
        }
    }

    /// <summary>Tells the workflow that the response to offer (<paramref name="partId"/>, <paramref name="attempt"/>) is about to commit as <paramref name="version"/>.</summary>
    public static Task SignalResponseAsync(
        DurableTaskClient workflows, string referralId, string partId, int attempt, int version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        return workflows.RaiseEventAsync(referralId, ResponseEvent(partId, attempt), new ResponseSignal(version), cancellationToken);
    }

    public override async Task<ReferralStatus?> RunAsync(TaskOrchestrationContext context, ReferralWorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var log = context.CreateReplaySafeLogger<ReferralWorkflow>();
        var progress = await StepAsync(context, input, ReferralStepKind.Start, input.PerformedUpTo, log);
        for (var look = 0; !progress.Exists; look++)
        {
            if (look == CreationWaits.Length)
            {
                ReferralWorkflowLogs.NeverCreated(log, input.ReferralId);
                return null;
            }

            await context.CreateTimer(CreationWaits[look], CancellationToken.None);
            progress = await StepAsync(context, input, ReferralStepKind.Start, input.PerformedUpTo, log);
        }

        using var waits = new Waits(context, input.FollowsAppClock);
        var expected = progress.Version;
        var looks = 0;
        for (var steps = 0; progress.IsOpen; steps++)
        {
            context.SetCustomStatus(progress.Status.ToString());
            if (steps == StepsPerExecution)
            {
                waits.CancelAll();
                context.ContinueAsNew(input with { PerformedUpTo = progress.Version }, preserveUnprocessedEvents: true);
                return null;
            }

            waits.Plan(progress.Parts, signalled: progress.Version < expected ? SignalWaits[looks] : null);
            var woken = await waits.NextAsync();
            expected = Math.Max(expected, woken.SignalledVersion);
            looks = woken.SignalWaitEnded ? looks + 1 : looks;
            progress = await StepAsync(
                context, input, woken.DeadlineDue ? ReferralStepKind.CheckDeadlines : ReferralStepKind.Refresh, progress.Version, log);
            if (progress.Version >= expected || looks == SignalWaits.Length)
            {
                // Caught up, or the signalled commit never landed: nothing more is owed.
                (expected, looks) = (progress.Version, 0);
            }
        }

        waits.CancelAll();
        context.SetCustomStatus(progress.Status.ToString());
        return progress.Status;
    }

    /// <summary>One step; after all its retries failed, a pause, and again: a step never fails the workflow.</summary>
    private static async Task<ReferralProgress> StepAsync(
        TaskOrchestrationContext context, ReferralWorkflowInput input, ReferralStepKind kind, int performedUpTo, ILogger log)
    {
        var step = new ReferralStep(input.ReferralId, kind, performedUpTo);
        while (true)
        {
            try
            {
                return await context.CallActivityAsync<ReferralProgress>(nameof(AdvanceReferral), step, StepRetries);
            }
            catch (TaskFailedException failed)
            {
                ReferralWorkflowLogs.StepFailed(log, input.ReferralId, kind, failed.FailureDetails.ErrorType, FailedStepPause);
                await context.CreateTimer(FailedStepPause, CancellationToken.None);
            }
        }
    }

    private static TimeSpan[] Backoff(TimeSpan first, TimeSpan max, int count) =>
        [.. Enumerable.Range(0, count).Select(n => TimeSpan.FromTicks(Math.Min(first.Ticks << Math.Min(n, 20), max.Ticks)))];

    /// <summary>What woke the workflow: a deadline to check, and the version a response signalled (0: none).</summary>
    private sealed record Woken(bool DeadlineDue, int SignalledVersion, bool SignalWaitEnded);

    /// <summary>
    /// The workflow's waits: per open part its response event and, while offered, its deadline timer; the development
    /// clock's event; and the wait for a signalled commit. A wait whose part moved on is dropped and its timer
    /// cancelled: a timer left running would keep the instance from completing.
    /// </summary>
    private sealed class Waits(TaskOrchestrationContext context, bool followsAppClock) : IDisposable
    {
        private readonly Dictionary<string, PartWait> _parts = new(StringComparer.Ordinal);
        private Task<object?>? _clockMoved;
        private TimerWait? _signalled;

        public void Plan(IReadOnlyList<PartProgress> parts, TimeSpan? signalled)
        {
            foreach (var part in parts)
            {
                var wait = _parts.GetValueOrDefault(part.Id);
                if (wait is not null && (!part.IsOpen || wait.Part != part))
                {
                    wait.Dispose();
                    _parts.Remove(part.Id);
                    wait = null;
                }

                if (part.IsOpen)
                {
                    wait ??= _parts[part.Id] = new PartWait(part);
                    wait.Plan(context);
                }
            }

            _clockMoved = followsAppClock && _clockMoved is not { IsCompleted: false }
                ? context.WaitForExternalEvent<object?>(ClockMovedEvent)
                : _clockMoved;
            if (signalled is { } after && _signalled is null)
            {
                _signalled = new TimerWait(context, context.CurrentUtcDateTime + after);
            }
            else if (signalled is null)
            {
                _signalled?.Dispose();
                _signalled = null;
            }
        }

        public async Task<Woken> NextAsync()
        {
            var tasks = _parts.Values.SelectMany(wait => wait.Tasks).ToList();
            tasks.AddRange(new Task?[] { _clockMoved, _signalled?.Task }.OfType<Task>());
            var woken = await Task.WhenAny(tasks);
            if (woken == _clockMoved)
            {
                return new Woken(DeadlineDue: true, 0, false);
            }

            if (woken == _signalled?.Task)
            {
                _signalled.Dispose();
                _signalled = null;
                return new Woken(false, 0, SignalWaitEnded: true);
            }

            var part = _parts.Values.Single(wait => wait.Tasks.Contains(woken));
            return woken == part.Response
                ? new Woken(false, part.Response.Result.Version, false)
                : new Woken(DeadlineDue: true, 0, false);
        }

        public void CancelAll()
        {
            foreach (var wait in _parts.Values)
            {
                wait.Dispose();
            }

            _parts.Clear();
            _signalled?.Dispose();
            _signalled = null;
        }

        public void Dispose() => CancelAll();
    }

    /// <summary>The waits of one part in one state: its response event, and its deadline while it is offered.</summary>
    private sealed class PartWait(PartProgress part) : IDisposable
    {
        private TimerWait? _deadline;

        public PartProgress Part { get; } = part;

        public Task<ResponseSignal> Response { get; private set; } = null!;

        public IEnumerable<Task> Tasks => _deadline is null ? [Response] : [Response, _deadline.Task];

        /// <summary>Waits again for what has come: another response (a duplicate, or a second one), or a deadline that came early.</summary>
        public void Plan(TaskOrchestrationContext context)
        {
            if (Response is not { IsCompleted: false })
            {
                Response = context.WaitForExternalEvent<ResponseSignal>(ResponseEvent(Part.Id, Part.Attempt));
            }

            if (Part is { Status: PartStatus.Offered, DueAt: { } dueAt } && _deadline is not { Task.IsCompleted: false })
            {
                _deadline?.Dispose();
                var earliest = context.CurrentUtcDateTime + EarlyTimerRetry;
                _deadline = new TimerWait(context, dueAt.UtcDateTime > earliest ? dueAt.UtcDateTime : earliest);
            }
        }

        public void Dispose() => _deadline?.Dispose();
    }

    /// <summary>A durable timer with its own cancellation, cancelled when disposed unless it has fired.</summary>
    private sealed class TimerWait : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new();

        public TimerWait(TaskOrchestrationContext context, DateTime fireAt) => Task = context.CreateTimer(fireAt, _cancel.Token);

        public Task Task { get; }

        public void Dispose()
        {
            if (!Task.IsCompleted)
            {
                _cancel.Cancel();
            }

            _cancel.Dispose();
        }
    }
}
