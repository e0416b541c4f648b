namespace FastTrack.Functions.Triggers;

/// <summary>A timer, queue or blob function: declared once, invoked by the Functions host or the local loop.</summary>
public interface ITriggeredFunction
{
    /// <summary>The function's name: its folder in the deployment and its invocation route <c>/{Name}</c>.</summary>
    string Name { get; }

    Trigger Trigger { get; }

    /// <summary>What the host sends on from the invocation's <c>Outputs</c>; most functions have none.</summary>
    IReadOnlyList<OutputBinding> Outputs => [];

    /// <summary>Runs the function. Throwing fails the invocation, so the host (or local loop) retries it.</summary>
    Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken);
}
