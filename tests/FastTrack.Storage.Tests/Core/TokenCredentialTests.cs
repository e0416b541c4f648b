using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using FastTrack.Storage.Blobs;
using FastTrack.Storage.Core;
using FastTrack.Storage.Queues;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests.Core;

/// <summary>
/// Bearer tokens against an Azurite on HTTPS with <c>--oauth basic</c>, which checks the token's claims (issuer,
/// audience, lifetime) but not its signature, so an unsigned token made here stands in for Azure.Identity's.
/// </summary>
public sealed class TokenCredentialTests : IAsyncLifetime
{
    private const string StorageAudience = "https://storage.azure.com";

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

    [Fact]
    public async Task A_queue_client_with_a_storage_token_sends_and_receives()
    {
        var queue = new QueueClient(
            Azurite.ConnectionString.QueueEndpoint, "q" + Guid.NewGuid().ToString("N"), new FakeTokenCredential(StorageAudience),
            TrustingOnly<QueueClientOptions>());

        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("with a token");
        var received = Assert.Single((await queue.ReceiveMessagesAsync()).Value);

        Assert.Equal("with a token", received.Body.ToString());
    }

    [Fact]
    public async Task A_blob_container_client_with_a_storage_token_uploads_and_lists()
    {
        var container = new BlobContainerClient(
            Azurite.ConnectionString.BlobEndpoint, "c" + Guid.NewGuid().ToString("N"), new FakeTokenCredential(StorageAudience),
            TrustingOnly<StorageClientOptions>());

        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("doc.pdf").UploadAsync(BinaryData.FromString("pdf"));
        var names = new List<string>();
        await foreach (var item in container.GetBlobsAsync())
        {
            names.Add(item.Name);
        }

        Assert.Equal(["doc.pdf"], names);
    }

    // Azurite answers 403 AuthenticationFailed ("Invalid token audience."); Azure answers 401 for a bad token.
    [Fact]
    public async Task A_token_for_another_audience_is_refused_with_403_AuthenticationFailed()
    {
        var queue = new QueueClient(
            Azurite.ConnectionString.QueueEndpoint, "q" + Guid.NewGuid().ToString("N"),
            new FakeTokenCredential("https://vault.azure.net"), TrustingOnly<QueueClientOptions>());

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => queue.CreateIfNotExistsAsync());

        Assert.Equal(403, failure.Status);
        Assert.Equal("AuthenticationFailed", failure.ErrorCode);
    }

    /// <summary>Trusts the test's own certificate and nothing else (no blanket "accept any certificate").</summary>
    private TOptions TrustingOnly<TOptions>()
        where TOptions : StorageClientOptions, new()
    {
        var thumbprint = _certificate!.GetCertHashString(HashAlgorithmName.SHA256);
#pragma warning disable CA2000 // The transport owns the handler for the client's lifetime.
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate?.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
        };
#pragma warning restore CA2000
        return new TOptions { Transport = new HttpClientTransport(handler) };
    }

    /// <summary>An unsigned JWT with the claims Azurite's basic OAuth mode checks.</summary>
    private sealed class FakeTokenCredential(string audience) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            var expires = now.AddHours(1);
            var claims = new Dictionary<string, object>
            {
                ["aud"] = audience,
                ["iss"] = "https://sts.windows.net/00000000-0000-0000-0000-000000000000/",
                ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
                ["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
                ["exp"] = expires.ToUnixTimeSeconds(),
            };
            var token = $"{Base64Url("""{"alg":"none","typ":"JWT"}""")}.{Base64Url(JsonSerializer.Serialize(claims))}.";
            return new AccessToken(token, expires);
        }

        public override ValueTask<AccessToken> GetTokenAsync(
            TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        private static string Base64Url(string json) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
