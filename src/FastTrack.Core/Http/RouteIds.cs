using FastTrack.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Http;

/// <summary>Ids in a route, checked against <see cref="IdRule"/> before they reach storage.</summary>
public static class RouteIds
{
    /// <summary>
    /// A 400 validation problem naming each id that breaks the rule (nothing is read or changed), or null when all keep
    /// it. A <see cref="ProblemHttpResult"/>, like the key check's refusals, so a route refuses with either in one line.
    /// </summary>
    public static ProblemHttpResult? Refuse(params (string Name, string Value)[] ids)
    {
        var problems = ids
            .Where(id => !IdRule.IsValid(id.Value))
            .ToDictionary(id => id.Name, _ => new[] { IdRule.Description }, StringComparer.Ordinal);
        return problems.Count == 0
            ? null
            : TypedResults.Problem(new HttpValidationProblemDetails(problems)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "An id in the path breaks the id rule; nothing was read or changed.",
            });
    }
}
