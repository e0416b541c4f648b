using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Infrastructure;

/// <summary>
/// An Azurite on HTTPS with <c>--oauth basic</c>, which takes the account key and bearer tokens alike. It checks a
/// token's claims (issuer, audience, lifetime) but not its signature, so an unsigned token made here stands in for
/// the managed identity's that Azure.Identity would get in Azure.
/// </summary>
public sealed class OAuthAzuriteFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("azurite-tls").FullName;
    private X509Certificate2? _certificate;
    private AzuriteInstance? _azurite;

    private AzuriteInstance Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(_directory, "cert.pem");
        var keyPath = Path.Combine(_directory, "key.pem");
        await File.WriteAllTextAsync(certificatePath, _certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
        _azurite = await AzuriteInstance.StartWithOAuthAsync(certificatePath, keyPath);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        _certificate?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A blob service client signing with the account key (from the connection string).</summary>
    public BlobServiceClient WithAccountKey(params HttpPipelinePolicy[] policies) =>
        new(Azurite.ConnectionString, Options(policies));

    /// <summary>A blob service client sending a bearer token for Azure Storage, as a managed identity would.</summary>
    public BlobServiceClient WithToken() => new(Azurite.BlobEndpoint, new StorageTokenCredential(), Options([]));

    /// <summary>Trusts the fixture's own certificate and nothing else (no blanket "accept any certificate").</summary>
    private BlobClientOptions Options(HttpPipelinePolicy[] policies)
    {
        var thumbprint = _certificate!.GetCertHashString(HashAlgorithmName.SHA256);
#pragma warning disable CA2000 // The transport owns the handler for the client's lifetime.
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate?.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
        };
#pragma warning restore CA2000
        var options = new BlobClientOptions { Transport = new HttpClientTransport(handler) };
        foreach (var policy in policies)
        {
            options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        }

        return options;
    }

    /// <summary>An unsigned JWT for Azure Storage with the claims Azurite's basic OAuth mode checks.</summary>
    private sealed class StorageTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var expires = now.AddHours(1);
            var claims = new Dictionary<string, object>
            {
                ["aud"] = "https://storage.azure.com",
                ["iss"] = "https://sts.windows.net/00000000-0000-0000-0000-000000000000/",
                ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
                ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
                ["exp"] = expires.ToUnixTimeSeconds(),
            };
            var token = $"{Base64Url("""{"alg":"none","typ":"JWT"}""")}.{Base64Url(JsonSerializer.Serialize(claims))}.";
            return new AccessToken(token, expires);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        private static string Base64Url(string json) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
