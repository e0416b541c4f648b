using FastTrack.Core.Privacy;
using FastTrack.Core.Referrals;
using Microsoft.DurableTask;

namespace FastTrack.Core.Durable;

/// <summary>
/// Every orchestrator and activity of the app, each named after its class. The dev host's Durable Task worker
/// registers these; the Functions app declares a function of the same name for each (a test checks they match), since
/// its worker finds them by their function attributes.
/// </summary>
public static class WorkflowTasks
{
    public static IReadOnlyList<Type> Orchestrators { get; } = [typeof(ReferralWorkflow), typeof(PrivacyRequestWorkflow)];

    public static IReadOnlyList<Type> Activities { get; } = [typeof(AdvanceReferral), typeof(ProcessPrivacyRequest)];

    public static DurableTaskRegistry AddWorkflowTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        foreach (var activity in Activities)
        {
            registry.AddActivity(activity);
        }

        return registry;
    }
}
