using FastTrack.Core.Http;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace FastTrack.Functions.Hosting;

/// <summary>
/// Every exception an HTTP function raises gets the core's answer (<see cref="HttpErrors"/>): a 4xx for a request the
/// framework could not read, otherwise a logged 500 as problem details without internals. Other triggers rethrow, so
/// the host retries them (queue messages go to the poison queue after host.json's <c>maxDequeueCount</c>).
/// </summary>
internal sealed class ExceptionAnswers(HttpErrors errors) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (context.GetHttpContext() is { } httpContext && !httpContext.Response.HasStarted)
        {
            await errors.AnswerTo(httpContext, exception, context.FunctionDefinition.Name).ExecuteAsync(httpContext);
        }
    }
}
