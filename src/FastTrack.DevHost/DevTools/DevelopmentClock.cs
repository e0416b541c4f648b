namespace FastTrack.DevHost.DevTools;

/// <summary>
/// The app's clock in Development: real time plus an offset that <c>POST /api/_dev/clock</c> moves forward, so that
/// deadlines, reminders and expiries can be reached without waiting. It never moves backwards, so nothing that was
/// already due becomes not due; the offset is kept in storage (<see cref="DevelopmentClockStore"/>), so a restart of
/// the dev host keeps the time it had reached.
/// </summary>
public sealed class DevelopmentClock : TimeProvider
{
    private readonly object _gate = new();
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return base.GetUtcNow() + _offset;
        }
    }

    /// <summary>How far ahead of real time the clock is.</summary>
    public TimeSpan Offset
    {
        get
        {
            lock (_gate)
            {
                return _offset;
            }
        }
    }

    /// <summary>Takes up the offset kept from an earlier run, unless the clock is already further ahead.</summary>
    public void Restore(TimeSpan offset)
    {
        lock (_gate)
        {
            _offset = offset > _offset ? offset : _offset;
        }
    }

    /// <summary>Moves the clock forward by <paramref name="amount"/>, or to <paramref name="now"/>.</summary>
    /// <returns>The new time, or null when that would move the clock backwards.</returns>
    public DateTimeOffset? MoveForward(TimeSpan? amount = null, DateTimeOffset? now = null)
    {
        lock (_gate)
        {
            var current = base.GetUtcNow() + _offset;
            var target = now ?? current + (amount ?? TimeSpan.Zero);
            if (target < current)
            {
                return null;
            }

            _offset += target - current;
            return target;
        }
    }
}
