using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Partners;

namespace FastTrack.Core.Referrals;

/// <summary>
/// Runs commands against referrals: load the state, let the pure <see cref="ReferralDecider"/> decide, and commit
/// state, history and effects together under the state's ETag. A lost race is decided again from a fresh read, so
/// concurrent commands on one referral end in exactly one outcome each, in some order. Effects are performed after
/// the commit by the <see cref="OutboxDispatcher"/>, asked for through the dispatch queue.
/// </summary>
public sealed partial class ReferralWorkflow(
    ReferralStore store,
    PendingDispatch pending,
    ReferralContextLoader contexts,
    DispatchRequests dispatch,
    PartnerStore partners,
    TimeProvider clock,
    ILogger<ReferralWorkflow> logger)
{
    // Enough for heavy contention on one referral (20 simultaneous clicks); each retry re-reads, so it converges.
    private const int MaxCommitAttempts = 30;

    /// <summary>Creates a referral and matches it, atomically. False when the id is already taken.</summary>
    public async Task<Decision?> CreateAsync(
        string referralId, MatchRequest request, ReferralSubmission submission, CancellationToken cancellationToken)
    {
        var context = await contexts.LoadAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var decision = ReferralDecider.Decide(Referral.Received(referralId, request), new Submit(), now, context);
        await pending.MarkAsync(referralId, now, cancellationToken);
        if (!await store.CreateAsync(referralId, submission, decision, cancellationToken))
        {
            return null;
        }

        LogDecided(referralId, nameof(Submit), decision.Outcome, decision.State.Status);
        await AfterCommitAsync(referralId, decision, cancellationToken);
        return decision;
    }

    /// <summary>Runs one command; null when there is no such referral.</summary>
    public async Task<Decision?> ExecuteAsync(string referralId, ReferralCommand command, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var loaded = await store.LoadAsync(referralId, cancellationToken);
            if (loaded is null)
            {
                return null;
            }

            var context = await contexts.LoadAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var decision = ReferralDecider.Decide(loaded.State, command, now, context);
            if (!decision.Changed)
            {
                LogUnchanged(referralId, command.GetType().Name, decision.Outcome, decision.Message);
                return decision;
            }

            await pending.MarkAsync(referralId, now, cancellationToken);
            if (await store.CommitAsync(referralId, loaded, decision, cancellationToken))
            {
                LogDecided(referralId, command.GetType().Name, decision.Outcome, decision.State.Status);
                await AfterCommitAsync(referralId, decision, cancellationToken);
                return decision;
            }

            LogLostRace(referralId, command.GetType().Name, attempt);
            if (attempt == MaxCommitAttempts)
            {
                throw new InvalidOperationException(
                    $"Referral {referralId}: {command.GetType().Name} lost {attempt} races in a row; giving up so it can be retried.");
            }
        }
    }

    private async Task AfterCommitAsync(string referralId, Decision decision, CancellationToken cancellationToken)
    {
        // Round robin reads lastAssignedAt: record it now so the very next RFA sees it. The outbox holds the same
        // effect, so a crash here loses nothing; recording it twice is harmless (it only ever moves forward).
        foreach (var assigned in decision.Effects.OfType<RecordPartnerAssigned>())
        {
            await partners.RecordAssignedAsync(assigned.PartnerId, assigned.At, cancellationToken);
        }

        await dispatch.RequestAsync(referralId, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Referral {ReferralId}: {Command} → {Outcome}; referral {Status}")]
    private partial void LogDecided(string referralId, string command, DecisionOutcome outcome, ReferralStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral {ReferralId}: {Command} → {Outcome} ({Message}); nothing changed")]
    private partial void LogUnchanged(string referralId, string command, DecisionOutcome outcome, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Referral {ReferralId}: {Command} lost a race (attempt {Attempt}); deciding again")]
    private partial void LogLostRace(string referralId, string command, int attempt);
}
