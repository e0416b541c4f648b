using FastTrack.Core.Http;
using Microsoft.AspNetCore.Diagnostics;

namespace FastTrack.DevHost.Hosting;

/// <summary>
/// The dev host's exception handler: every exception a request raises gets the core's answer (<see cref="HttpErrors"/>),
/// in every environment, never the developer exception page.
/// </summary>
internal sealed class ExceptionAnswers(HttpErrors errors) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var failed = httpContext.Features.Get<IExceptionHandlerFeature>();
        var route = (failed?.Endpoint as RouteEndpoint)?.RoutePattern.RawText is { } pattern ? "/" + pattern.TrimStart('/') : "(no route)";
        await errors.AnswerTo(httpContext, exception, route).ExecuteAsync(httpContext);
        return true;
    }
}
