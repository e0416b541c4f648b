using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Http;

/// <summary>A request body as read (<see cref="Value"/>), or the 4xx <see cref="Status"/> and the reason it could not be.</summary>
public sealed record BodyRead<T>(T? Value, int Status, string? Problem)
{
    /// <summary>The refusal as problem details, for an API route.</summary>
    public ProblemHttpResult ToProblem(string title) => TypedResults.Problem(Problem, statusCode: Status, title: title);
}
