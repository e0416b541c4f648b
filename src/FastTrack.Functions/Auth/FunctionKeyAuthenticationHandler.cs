using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace FastTrack.Functions.Auth;

/// <summary>
/// Authenticates the <c>x-functions-key</c> header (the header Azure Functions uses) against the configured keys and
/// gives the caller that key's role. No header or an unknown key is 401; a known key without the role is 403.
/// </summary>
internal sealed class FunctionKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "FunctionKey";
    public const string HeaderName = "x-functions-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var presented) || presented.Count != 1 ||
            string.IsNullOrEmpty(presented[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presentedBytes = Encoding.UTF8.GetBytes(presented[0]!);
        var roles = keys.CurrentValue.Keys()
            .Where(entry => CryptographicOperations.FixedTimeEquals(presentedBytes, Encoding.UTF8.GetBytes(entry.Key)))
            .Select(entry => new Claim(ClaimTypes.Role, entry.Role))
            .ToList();
        if (roles.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.Fail("The function key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, roles[0].Value), .. roles], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
