namespace FastTrack.Functions.Triggers;

/// <summary>
/// What starts a non-HTTP function. This declaration is the single source of truth: the local trigger loop runs it
/// standalone, and the deployment's <c>function.json</c> is generated from it.
/// </summary>
public abstract record Trigger
{
    /// <summary>The name under which the trigger's value appears in the invocation's <c>Data</c>.</summary>
    public abstract string BindingName { get; }
}

/// <summary>A six-field NCRONTAB schedule (with seconds), as the Functions timer trigger reads it, in UTC.</summary>
public sealed record TimerTrigger(string Schedule) : Trigger
{
    public override string BindingName => "timer";
}

/// <summary>A Storage queue; messages are base64 text, as the Functions queue trigger expects.</summary>
public sealed record QueueTrigger(string QueueName) : Trigger
{
    public override string BindingName => "message";

    public string PoisonQueueName => QueueName + "-poison";
}

/// <summary>Blobs written to a container (path <c>{Container}/{name}</c>), each processed once per version.</summary>
public sealed record BlobTrigger(string Container) : Trigger
{
    public override string BindingName => "blob";
}

/// <summary>
/// Where the Functions host sends a value the function returns under <see cref="Name"/> in the invocation's
/// <c>Outputs</c>. Only the host acts on it: standalone, outputs are not sent anywhere.
/// </summary>
public abstract record OutputBinding(string Name);

/// <summary>
/// Messages to a Service Bus topic, sent by the host after the invocation returns, through the connection
/// <see cref="Connection"/> (<c>ServiceBusConnection__fullyQualifiedNamespace</c> with a managed identity).
/// </summary>
public sealed record ServiceBusTopicOutput(string Name, string TopicName) : OutputBinding(Name)
{
    public const string Connection = "ServiceBusConnection";
}
