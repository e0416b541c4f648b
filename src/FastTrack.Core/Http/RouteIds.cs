using FastTrack.Domain;

namespace FastTrack.Core.Http;

/// <summary>Ids in a route checked against <see cref="IdRule"/> before they reach storage.</summary>
internal static class RouteIds
{
    /// <summary>
    /// An endpoint filter that answers 400, naming each of the route's <paramref name="parameters"/> that breaks the id
    /// rule, before the handler runs: nothing is read or changed.
    /// </summary>
    public static TBuilder WithIdRule<TBuilder>(this TBuilder builder, params string[] parameters)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var problems = parameters
                .Where(parameter => !IdRule.IsValid(context.HttpContext.GetRouteValue(parameter) as string))
                .ToDictionary(parameter => parameter, _ => new[] { IdRule.Description }, StringComparer.Ordinal);
            return problems.Count == 0
                ? await next(context)
                : TypedResults.ValidationProblem(problems, title: "An id in the path breaks the id rule; nothing was read or changed.");
        });
}
