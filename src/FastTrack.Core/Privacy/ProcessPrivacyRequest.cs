using Microsoft.DurableTask;

namespace FastTrack.Core.Privacy;

/// <summary>The activity of <see cref="PrivacyRequestWorkflow"/>: processes the request; every step can be repeated.</summary>
public sealed class ProcessPrivacyRequest(PrivacyProcessor processor) : TaskActivity<string, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, string input)
    {
        await processor.ProcessAsync(input, CancellationToken.None);
        return input;
    }
}
