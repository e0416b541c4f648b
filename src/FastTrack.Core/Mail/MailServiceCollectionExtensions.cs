using System.Net;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;

namespace FastTrack.Core.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="IMailSender"/> through Graph: <c>Mail__GraphBaseUrl</c> when set (a national cloud, or a local
    /// stand-in), else the public cloud's Graph. The dev host replaces the client with one for its local mailbox.
    /// </summary>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MailOptions>(configuration.GetSection(MailOptions.Section));
        services.AddSingleton(CreateGraphClient);
        services.AddSingleton<IMailSender, GraphMailSender>();
        return services;
    }

    public static GraphServiceClient CreateGraphClient(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<MailOptions>>().Value;
        if (options.GraphBaseUrl is { } baseUrl)
        {
            // A loopback Graph is a stand-in that checks no token (and Kiota refuses to send one over plain http).
            IAuthenticationProvider authentication = IsLoopback(baseUrl)
                ? new AnonymousAuthenticationProvider()
                : new AzureIdentityAuthenticationProvider(Credential(options), [baseUrl.Host], scopes: [MailOptions.GraphScope]);
            return new GraphServiceClient(authentication, baseUrl.ToString().TrimEnd('/'));
        }

        return new GraphServiceClient(Credential(options), [MailOptions.GraphScope]);
    }

    /// <summary>A client secret when all three parts are set; otherwise the managed identity (user-assigned if named).</summary>
    private static TokenCredential Credential(MailOptions options) =>
        options is { TenantId: { Length: > 0 } tenant, ClientId: { Length: > 0 } client, ClientSecret: { Length: > 0 } secret }
            ? new ClientSecretCredential(tenant, client, secret)
            : new ManagedIdentityCredential(options.ManagedIdentityClientId is { Length: > 0 } id
                ? ManagedIdentityId.FromUserAssignedClientId(id)
                : ManagedIdentityId.SystemAssigned);

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));
}
