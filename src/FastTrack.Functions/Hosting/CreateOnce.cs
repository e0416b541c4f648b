namespace FastTrack.Functions.Hosting;

/// <summary>
/// Creates a table, queue or container the first time it is needed. Unlike a cached task, a failed try (storage
/// briefly unreachable) is tried again on the next use instead of failing every later call.
/// </summary>
public sealed class CreateOnce(Func<Task> create)
{
    private Task? _creation;

    public Task EnsureAsync()
    {
        var creation = Volatile.Read(ref _creation);
        if (creation is null || creation.IsFaulted || creation.IsCanceled)
        {
            // Two callers racing here both create; CreateIfNotExists makes that harmless.
            creation = create();
            Volatile.Write(ref _creation, creation);
        }

        return creation;
    }
}
