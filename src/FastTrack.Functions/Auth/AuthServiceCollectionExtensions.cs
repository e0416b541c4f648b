using Microsoft.AspNetCore.Authentication;

namespace FastTrack.Functions.Auth;

public static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddFunctionKeyAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuthOptions>(configuration.GetSection(AuthOptions.Section));
        services.AddAuthentication(FunctionKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, FunctionKeyAuthenticationHandler>(
                FunctionKeyAuthenticationHandler.SchemeName, _ => { });
        var authorization = services.AddAuthorizationBuilder();
        foreach (var role in new[] { Roles.Intake, Roles.Operations, Roles.OfferDesk })
        {
            authorization.AddPolicy(role, policy => policy.RequireRole(role));
        }

        return services;
    }
}
