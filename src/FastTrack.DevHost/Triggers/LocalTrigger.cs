namespace FastTrack.DevHost.Triggers;

/// <summary>
/// A timer, queue or blob function of the Functions app, as the dev host runs it itself (it has no Functions host):
/// the same function name and trigger, calling the same core method. <see cref="LocalFunctions"/> declares them all.
/// </summary>
public abstract record LocalTrigger(string FunctionName);

/// <summary>
/// A timer function. <paramref name="ScheduleSetting"/> is the setting its trigger reads (<c>%…%</c> in the Functions
/// app); <paramref name="Schedule"/> gives its value here, from the same options class, default included.
/// </summary>
public sealed record LocalTimerTrigger(
    string FunctionName,
    string ScheduleSetting,
    Func<IServiceProvider, string> Schedule,
    Func<IServiceProvider, CancellationToken, Task> RunAsync) : LocalTrigger(FunctionName);

/// <summary>A queue function: each message's text, as the Functions queue trigger hands it over.</summary>
public sealed record LocalQueueTrigger(
    string FunctionName, string QueueName, Func<IServiceProvider, string, CancellationToken, Task> RunAsync) : LocalTrigger(FunctionName)
{
    public string PoisonQueueName => QueueName + "-poison";
}

/// <summary>A blob function: the name of each blob written to <paramref name="Container"/> (never its content).</summary>
public sealed record LocalBlobTrigger(
    string FunctionName, string Container, Func<IServiceProvider, string, CancellationToken, Task> RunAsync) : LocalTrigger(FunctionName);
