using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Http;

/// <summary>
/// The answer to any exception a request raises, in every environment. A request the framework could not read
/// (<see cref="BadHttpRequestException"/>: malformed JSON, a body over <see cref="RequestLimits.MaxBodyBytes"/>, a
/// query value that does not bind) is the client's mistake: its 4xx, as problem details saying why. Anything else is
/// ours: logged with the route and the request id, and answered 500 as problem details that give the request id and
/// nothing of the exception, whatever the client accepts (in Development the developer exception page would otherwise
/// show the stack trace).
/// </summary>
internal sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var answer = exception is BadHttpRequestException unreadable
            ? TypedResults.Problem(Detail(unreadable), statusCode: unreadable.StatusCode, title: "The request cannot be read; nothing was changed.")
            : Unexpected(httpContext, exception);
        await answer.ExecuteAsync(httpContext);
        return true;
    }

    private ProblemHttpResult Unexpected(HttpContext httpContext, Exception exception)
    {
        var failed = httpContext.Features.Get<IExceptionHandlerFeature>();
        var route = (failed?.Endpoint as RouteEndpoint)?.RoutePattern.RawText ?? failed?.Path ?? httpContext.Request.Path;
        LogUnexpected(exception, httpContext.Request.Method, route, httpContext.TraceIdentifier);
        return TypedResults.Problem(
            $"The request could not be completed. Quote request id {httpContext.TraceIdentifier} when reporting it.",
            statusCode: StatusCodes.Status500InternalServerError,
            title: "Something went wrong on our side.",
            extensions: new Dictionary<string, object?> { ["requestId"] = httpContext.TraceIdentifier });
    }

    /// <summary>The framework's reason, with the JSON reader's own (where the JSON went wrong) when there is one.</summary>
    private static string Detail(BadHttpRequestException unreadable) =>
        unreadable.InnerException is JsonException json ? $"{unreadable.Message} {json.Message}" : unreadable.Message;

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} to {Method} {Route} failed unexpectedly")]
    private partial void LogUnexpected(Exception exception, string method, string route, string requestId);
}
