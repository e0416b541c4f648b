namespace FastTrack.DevHost.Tests.Infrastructure;

/// <summary>
/// Waits for background work (the trigger loop polling real storage) to reach a state. This waits for a condition,
/// not for time to pass: deadlines are moved with the app's clock, never slept for. The limit is generous because the
/// suite runs many apps, each with its own Azurite, in parallel on two cores; it bounds a wait, it asserts nothing.
/// </summary>
public static class Eventually
{
    public static async Task<T> Returns<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition was not met in time; last value: {value}");
            }

            await Task.Delay(50);
        }
    }
}
