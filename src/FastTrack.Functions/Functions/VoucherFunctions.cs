using Azure.Storage.Blobs;
using FastTrack.Core.Vouchers;

namespace FastTrack.Functions.Functions;

/// <summary>Vouchers: the API, redemption uploads and drops, the dispatch of their emails and the daily sweep.</summary>
public sealed class VoucherFunctions(
    VouchersApi vouchers, RedemptionUploadsApi uploads, RedemptionDrop drop, VoucherDispatcher dispatcher, VoucherSweep sweep)
{
    [Function("IssueVoucher")]
    public async Task<IResult> IssueAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = VouchersApi.VouchersRoute)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await vouchers.IssueAsync(request, cancellationToken);

    [Function("GetVoucher")]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = VouchersApi.VoucherRoute)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await vouchers.GetAsync(request, id, cancellationToken);

    [Function("DecideRedemption")]
    public async Task<IResult> DecideAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = VouchersApi.DecisionRoute)] HttpRequest request,
        string id,
        string redemptionId,
        CancellationToken cancellationToken) =>
        await vouchers.DecideAsync(request, id, redemptionId, cancellationToken);

    [Function("OverdueRedemptions")]
    public async Task<IResult> OverdueAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = VouchersApi.OverdueRoute)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await vouchers.OverdueAsync(request, cancellationToken);

    [Function("UploadRedemption")]
    public async Task<IResult> UploadAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = RedemptionUploadsApi.RedemptionsRoute)] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        await uploads.UploadAsync(request, id, cancellationToken);

    /// <summary>A blob dropped into the inbox container; in Azure its Event Grid subscription calls this (infra/).</summary>
    [Function(RedemptionDrop.FunctionName)]
    public Task DropAsync(
        [BlobTrigger(RedemptionDrop.InboxContainer + "/{name}", Source = BlobTriggerSource.EventGrid)] BlobClient blob,
        string name,
        CancellationToken cancellationToken) =>
        drop.ProcessAsync(name, cancellationToken);

    /// <summary>A voucher's pending emails; a message that fails host.json's maxDequeueCount times goes to the poison queue.</summary>
    [Function(VoucherDispatcher.FunctionName)]
    public Task DispatchAsync(
        [QueueTrigger(VoucherServiceCollectionExtensions.DispatchQueueName)] string message,
        CancellationToken cancellationToken) =>
        dispatcher.OnQueueMessageAsync(message, cancellationToken);

    [Function(VoucherSweep.FunctionName)]
    public Task SweepAsync(
        [TimerTrigger("%" + VoucherSettings.SweepScheduleSetting + "%")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        sweep.RunAsync(cancellationToken);
}
