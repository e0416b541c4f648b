using FastTrack.Domain.Referrals;
using Microsoft.DurableTask;

namespace FastTrack.Core.Referrals;

/// <summary>
/// The referral workflow's one activity, a step: makes the transition the step is for through the decider (match;
/// time out what is due on the app's clock), then performs the effects of every decision committed since the last step
/// (its own, and those the link handler made), and tells the workflow where the referral stands. Retried after a
/// failure or a crash, it finds its transitions already made and its emails recorded as sent.
/// </summary>
public sealed class AdvanceReferral(ReferralStore store, ReferralCommands commands, ReferralEffects effects, TimeProvider clock)
    : TaskActivity<ReferralStep, ReferralProgress>
{
    public override async Task<ReferralProgress> RunAsync(TaskActivityContext context, ReferralStep input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        if (await store.ReadSinceAsync(input.ReferralId, input.PerformedUpTo, cancellationToken) is not { } since)
        {
            return ReferralProgress.Missing;
        }

        foreach (var command in DueCommands(input.Kind, since.Loaded.State, clock.GetUtcNow()).ToList())
        {
            var executed = await commands.ExecuteAsync(input.ReferralId, command, beforeCommit: null, since.Loaded, cancellationToken)
                ?? throw new InvalidOperationException($"Referral {input.ReferralId} is gone.");
            if (executed.Referral.Version == since.Loaded.Version)
            {
                continue;
            }

            // Committed right on the state the step read: nothing else to read. Else a link handler's decision came in
            // between, and the step reads what that one asks for too.
            since = executed.Decision.Changed && executed.Referral.Version == since.Loaded.Version + 1
                ? since.Then(executed.Referral, executed.Decision)
                : (await store.ReadSinceAsync(input.ReferralId, input.PerformedUpTo, cancellationToken))!;
        }

        await effects.PerformAsync(since, cancellationToken);
        return ReferralProgress.Of(since.Loaded);
    }

    private static IEnumerable<ReferralCommand> DueCommands(ReferralStepKind kind, Referral referral, DateTimeOffset now) => kind switch
    {
        ReferralStepKind.Start when referral.Parts.Count == 0 => [new Submit()],
        ReferralStepKind.CheckDeadlines => referral.Parts
            .Where(part => part.Status == PartStatus.Offered && part.DueAt <= now)
            .Select(part => new TimeOut(part.Id, part.Attempt)),
        _ => [],
    };
}
