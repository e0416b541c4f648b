using Microsoft.DurableTask;

namespace FastTrack.Functions.Functions;

/// <summary>
/// Runs the core's activity classes as activity functions, the way the Durable Task source generator's functions do
/// (the generator is not on this feed): the activity built from the invocation's services, given its name and the
/// orchestration's instance id.
/// </summary>
internal static class DurableAdapter
{
    public static Task<TOutput> RunActivityAsync<TActivity, TInput, TOutput>(FunctionContext executionContext, string instanceId, TInput input)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(executionContext);
        var activity = ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(executionContext.InstanceServices);
        return activity.RunAsync(new ActivityContext(typeof(TActivity).Name, instanceId), input);
    }

    private sealed class ActivityContext(TaskName name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
