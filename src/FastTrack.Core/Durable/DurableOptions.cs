namespace FastTrack.Core.Durable;

/// <summary>
/// Section <c>Durable</c>: the Durable task hub, shared by both hosts. The Functions host reads the name through
/// host.json (<c>%Durable:TaskHubName%</c>); the dev host reads it here.
/// </summary>
public sealed class DurableOptions
{
    public const string Section = "Durable";

    /// <summary>
    /// The task hub: its tables are <c>{name}Instances</c> and <c>{name}History</c>, its queues <c>{name}-control-NN</c>
    /// and <c>{name}-workitems</c>. Letters and digits, 3 to 45 characters. Never rename it while orchestrations wait:
    /// a new hub starts empty and the old instances stop.
    /// </summary>
    public string TaskHubName { get; set; } = "fasttrack";
}
