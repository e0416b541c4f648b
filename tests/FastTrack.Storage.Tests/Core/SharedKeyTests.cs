using Azure;
using Azure.Core;
using FastTrack.Storage.Core;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Storage.Tests.Core;

[Collection(AzuriteGroup.Name)]
public sealed class SharedKeyTests(AzuriteFixture azurite)
{
    private static readonly StorageClientOptions Options = new();

    [Theory]
    [InlineData(StorageService.Queue)]
    [InlineData(StorageService.Table)]
    [InlineData(StorageService.Blob)]
    public async Task A_request_signed_with_the_account_key_is_accepted(StorageService service)
    {
        var response = await SendCreateAsync(service, azurite.ConnectionString.Credential);

        Assert.Equal(201, response.Status);
    }

    [Theory]
    [InlineData(StorageService.Queue)]
    [InlineData(StorageService.Table)]
    [InlineData(StorageService.Blob)]
    public async Task A_request_signed_with_another_key_is_refused_with_403(StorageService service)
    {
        var wrongKey = new StorageSharedKeyCredential(
            StorageConnectionString.DevelopmentAccountName, Convert.ToBase64String(new byte[64]));

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => SendCreateAsync(service, wrongKey));

        Assert.Equal(403, failure.Status);
    }

    [Fact]
    public void Development_storage_points_at_azurite_default_ports()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), parsed.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
    }

    [Fact]
    public void An_account_connection_string_derives_endpoints_from_the_suffix()
    {
        var parsed = StorageConnectionString.Parse(
            "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), parsed.TableEndpoint);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), parsed.QueueEndpoint);
    }

    [Fact]
    public void A_connection_string_round_trips_through_its_text()
    {
        var text = azurite.ConnectionString.ToString();

        Assert.Equal(azurite.ConnectionString, StorageConnectionString.Parse(text));
    }

    [Fact]
    public void A_connection_string_without_a_key_is_rejected_with_the_missing_setting()
    {
        var failure = Assert.Throws<FormatException>(() => StorageConnectionString.Parse("AccountName=acct"));

        Assert.Contains("AccountKey", failure.Message);
    }

    private async Task<Response> SendCreateAsync(StorageService service, StorageSharedKeyCredential credential)
    {
        var name = "k" + Guid.NewGuid().ToString("N")[..12];
        var account = azurite.ConnectionString;
        var (endpoint, method, uri) = service switch
        {
            StorageService.Table => (account.TableEndpoint, RequestMethod.Post, $"{account.TableEndpoint}/Tables"),
            StorageService.Queue => (account.QueueEndpoint, RequestMethod.Put, $"{account.QueueEndpoint}/{name}"),
            _ => (account.BlobEndpoint, RequestMethod.Put, $"{account.BlobEndpoint}/{name}?restype=container"),
        };
        var context = StorageClientContext.Create(endpoint, service, credential, Options);
        using var message = context.CreateMessage(method, new Uri(uri));
        if (service == StorageService.Table)
        {
            message.Request.Headers.SetValue("Content-Type", "application/json");
            message.Request.Headers.SetValue("Accept", "application/json;odata=nometadata");
            message.Request.Content = RequestContent.Create(BinaryData.FromObjectAsJson(new { TableName = name }));
        }

        return await context.SendAsync(message, CancellationToken.None);
    }
}
