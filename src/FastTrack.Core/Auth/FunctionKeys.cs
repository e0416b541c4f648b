using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FastTrack.Core.Auth;

/// <summary>
/// The role keys (API.md "Keys and roles"): the <c>x-functions-key</c> header, the header Azure Functions uses, names a
/// role through the configured keys. Every HTTP function is anonymous at the host and checks its caller here first, in
/// both hosts alike, so a missing or unknown key is 401 and a key of another role 403, as problem details.
/// </summary>
public sealed class FunctionKeys(IOptionsMonitor<AuthOptions> options)
{
    public const string HeaderName = "x-functions-key";

    /// <summary>The roles of the key the request presents: none when it presents no key, or one no role has.</summary>
    public IReadOnlySet<string> RolesOf(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValue(HeaderName, out var presented) || presented is not [{ Length: > 0 } key])
        {
            return new HashSet<string>();
        }

        var presentedBytes = Encoding.UTF8.GetBytes(key);
        return options.CurrentValue.Keys()
            .Where(entry => CryptographicOperations.FixedTimeEquals(presentedBytes, Encoding.UTF8.GetBytes(entry.Key)))
            .Select(entry => entry.Role)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Null when the caller holds one of <paramref name="roles"/>; otherwise the 401 or 403 to answer.</summary>
    public ProblemHttpResult? Refuse(HttpRequest request, params string[] roles)
    {
        var held = RolesOf(request);
        return held.Count == 0 ? Unauthorized()
            : roles.Any(held.Contains) ? null
            : Forbidden($"This needs the key of role {string.Join(" or ", roles)}.");
    }

    public static ProblemHttpResult Unauthorized(string detail = $"Send a valid key in the {HeaderName} header.") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
}
