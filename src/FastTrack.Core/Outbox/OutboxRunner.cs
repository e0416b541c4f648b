using FastTrack.Core.Referrals;

namespace FastTrack.Core.Outbox;

/// <summary>
/// Performs what waits in one partition's outbox: claim, perform, delete, one effect at a time; a failed effect is
/// released for the next try and the run throws, so its queue message is retried. Once the outbox is empty, the
/// owner's <see cref="PendingDispatch"/> mark is cleared, unless someone marked it again meanwhile.
/// </summary>
public sealed partial class OutboxRunner(TimeProvider clock, ILogger<OutboxRunner> logger)
{
    /// <summary>How long a claimed effect is left to its dispatcher before another may take it over.</summary>
    public static readonly TimeSpan ClaimDuration = TimeSpan.FromMinutes(5);

    /// <summary>Returns how many effects were done.</summary>
    public async Task<int> RunAsync<TEffect>(
        string id,
        PartitionOutbox<TEffect> outbox,
        PendingDispatch pending,
        Func<OutboxItem<TEffect>, CancellationToken, Task> perform,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(perform);
        var mark = await pending.ReadAsync(id, cancellationToken);
        var failures = new List<Exception>();
        var done = 0;
        foreach (var item in await outbox.ListAsync(id, cancellationToken))
        {
            var now = clock.GetUtcNow();
            if (item.ClaimedUntil > now || await outbox.ClaimAsync(item, now + ClaimDuration, cancellationToken) is not { } claimed)
            {
                continue; // another dispatcher has it
            }

            try
            {
                await perform(claimed, cancellationToken);
                await outbox.CompleteAsync(claimed, cancellationToken);
                done++;
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                LogEffectFailed(id, claimed.RowKey, claimed.Effect!.GetType().Name, claimed.Tries, failure);
                failures.Add(failure);
                await outbox.ReleaseAsync(claimed, cancellationToken);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{id}: {failures.Count} effects failed and stay in the outbox.", failures);
        }

        if (mark is { } version && (await outbox.ListAsync(id, cancellationToken)).Count == 0)
        {
            await pending.ClearAsync(id, version, cancellationToken);
        }

        return done;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{OwnerId}: effect {OutboxRow} ({Effect}) failed on try {Tries}; it stays in the outbox")]
    private partial void LogEffectFailed(string ownerId, string outboxRow, string effect, int tries, Exception exception);
}
