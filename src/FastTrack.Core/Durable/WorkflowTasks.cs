using FastTrack.Core.Privacy;
using FastTrack.Core.Referrals;
using Microsoft.DurableTask;

namespace FastTrack.Core.Durable;

/// <summary>
/// Every orchestrator and activity of the app, for the dev host's Durable Task worker. The Functions app declares a
/// function for each (a test checks they match), since its worker finds them by their function attributes.
/// </summary>
public static class WorkflowTasks
{
    public static DurableTaskRegistry AddWorkflowTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.AddOrchestrator<ReferralWorkflow>();
        registry.AddActivity<AdvanceReferral>();
        registry.AddOrchestrator<PrivacyRequestWorkflow>();
        registry.AddActivity<ProcessPrivacyRequest>();
        return registry;
    }
}
