using FastTrack.Domain.Privacy;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Privacy;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Privacy;

/// <summary>
/// A personal data request is completed under the ETag of the row it was read from: a worker that loses that race
/// completes it from a fresh read, and never over another worker's completion.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class PrivacyStorageTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private readonly PrivacyRequests _requests = new(new StorageResources(StorageAccount.FromConnectionString(azurite.ConnectionString)));

    [Fact]
    public async Task Completing_a_request_started_again_since_it_was_read_completes_it_from_a_fresh_read()
    {
        var read = await FiledAsync();
        await _requests.MarkStartedAsync(read.Request.Id, Received.AddHours(1), CancellationToken.None);

        Assert.True(await _requests.CompleteAsync(read, new { referrals = 0 }, Received.AddHours(2), CancellationToken.None));

        var completed = (await _requests.GetAsync(read.Request.Id, CancellationToken.None))!;
        Assert.Equal((PrivacyRequestStatus.Completed, Received.AddHours(2), ""), (completed.Request.Status, completed.Request.CompletedAt, completed.Request.Email));
        Assert.Equal(0, (await _requests.ResultAsync(read.Request.Id, CancellationToken.None))!.Value.GetProperty("referrals").GetInt32());
    }

    [Fact]
    public async Task Completing_a_request_another_worker_completed_first_returns_false_and_keeps_the_first_completion()
    {
        var read = await FiledAsync();
        Assert.True(await _requests.CompleteAsync(read, new { referrals = 1 }, Received.AddHours(1), CancellationToken.None));

        Assert.False(await _requests.CompleteAsync(read, new { referrals = 1 }, Received.AddHours(2), CancellationToken.None));

        var completed = (await _requests.GetAsync(read.Request.Id, CancellationToken.None))!;
        Assert.Equal((PrivacyRequestStatus.Completed, Received.AddHours(1)), (completed.Request.Status, completed.Request.CompletedAt));
    }

    private async Task<StoredPrivacyRequest> FiledAsync()
    {
        var request = PrivacyRequest.Receive(Guid.NewGuid().ToString("N"), PrivacyRequestKind.Export, "casey@contoso.example", Received);
        await _requests.AddAsync(request, CancellationToken.None);
        return (await _requests.GetAsync(request.Id, CancellationToken.None))!;
    }
}
