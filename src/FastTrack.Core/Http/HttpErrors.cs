using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Http;

/// <summary>
/// The answer to any exception a request raises, in every environment and both hosts (the dev host's exception
/// handler and the Functions app's middleware both ask here). A request the framework could not read
/// (<see cref="BadHttpRequestException"/>: a body over the limit, a query value that does not bind) is the client's
/// mistake: its 4xx, as problem details saying why. Anything else is ours: logged with the route and the request id,
/// and answered 500 as problem details that give the request id and nothing of the exception, whatever the client
/// accepts.
/// </summary>
public sealed partial class HttpErrors(ILogger<HttpErrors> logger)
{
    /// <param name="route">The route pattern or function name, never the path: a path may hold a partner's link token.</param>
    public ProblemHttpResult AnswerTo(HttpContext httpContext, Exception exception, string route)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is BadHttpRequestException unreadable)
        {
            return TypedResults.Problem(Detail(unreadable), statusCode: unreadable.StatusCode, title: "The request cannot be read; nothing was changed.");
        }

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
