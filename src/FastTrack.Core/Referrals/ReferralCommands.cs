using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Referrals;

/// <summary>
/// Runs commands against referrals: load the state, let the pure <see cref="ReferralDecider"/> decide, and commit
/// state, history and the decision's effects together under the state's ETag. A lost race is decided again from a
/// fresh read, so concurrent commands on one referral end in exactly one outcome each, in some order. The effects are
/// the referral's <see cref="ReferralWorkflow"/>'s to perform.
/// </summary>
public sealed partial class ReferralCommands(
    ReferralStore store,
    ReferralIndex index,
    ReferralContextLoader contexts,
    TimeProvider clock,
    ILogger<ReferralCommands> logger)
{
    // Enough for heavy contention on one referral (20 simultaneous clicks); each retry re-reads, so it converges.
    private const int MaxCommitAttempts = 30;

    /// <summary>
    /// Runs one command; null when there is no such referral. <paramref name="beforeCommit"/>, when given, is told the
    /// version a change will commit as just before it commits: the link handler signals the workflow there, so that
    /// the intent is written first and a crash between the two leaves the workflow waiting for nothing, never missing
    /// a change. <paramref name="current"/>, when the caller has just read the state, saves reading it again for the
    /// first attempt (the commit is conditioned on its ETag all the same).
    /// </summary>
    public async Task<ExecutedCommand?> ExecuteAsync(
        string referralId, ReferralCommand command, Func<int, Task>? beforeCommit, LoadedReferral? current, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var loaded = attempt == 1 && current is not null ? current : await store.LoadAsync(referralId, cancellationToken);
            if (loaded is null)
            {
                return null;
            }

            var context = await contexts.LoadAsync(cancellationToken);
            var decision = ReferralDecider.Decide(loaded.State, command, clock.GetUtcNow(), context);
            if (!decision.Changed)
            {
                LogUnchanged(referralId, command.GetType().Name, decision.Outcome, decision.Message);
                return new ExecutedCommand(decision, loaded);
            }

            if (beforeCommit is not null)
            {
                await beforeCommit(loaded.Version + 1);
            }

            // The lists' index: what the transition adds is written before it commits, what it ends is removed after.
            await index.BeforeCommitAsync(loaded, decision.State, loaded.Version + 1, cancellationToken);
            if (await store.CommitAsync(referralId, loaded, decision, cancellationToken) is { } committed)
            {
                await index.AfterCommitAsync(loaded, decision.State, committed.Version, cancellationToken);
                LogDecided(referralId, command.GetType().Name, decision.Outcome, decision.State.Status);
                return new ExecutedCommand(decision, committed);
            }

            LogLostRace(referralId, command.GetType().Name, attempt);
            if (attempt == MaxCommitAttempts)
            {
                throw new InvalidOperationException(
                    $"Referral {referralId}: {command.GetType().Name} lost {attempt} races in a row; giving up so it can be retried.");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Referral {ReferralId}: {Command} → {Outcome}; referral {Status}")]
    private partial void LogDecided(string referralId, string command, DecisionOutcome outcome, ReferralStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {ReferralId}: {Command} → {Outcome} ({Message}); nothing changed")]
    private partial void LogUnchanged(string referralId, string command, DecisionOutcome outcome, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Referral {ReferralId}: {Command} lost a race (attempt {Attempt}); deciding again")]
    private partial void LogLostRace(string referralId, string command, int attempt);
}

/// <summary>
/// A command's decision and the referral after it: as the decision committed it, or, for a decision that changed
/// nothing, as last read.
/// </summary>
public sealed record ExecutedCommand(Decision Decision, LoadedReferral Referral);
