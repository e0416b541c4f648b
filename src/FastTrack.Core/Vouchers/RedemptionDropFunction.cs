using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Domain;
using FastTrack.Functions.Triggers;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// The offer desk's blob drop (API.md "Vouchers"): a document written to <c>redemptions-inbox</c> as
/// <c>{voucherId}/{sow|poe}/{fileName}</c>, with metadata <c>templateid</c>, <c>signedbycustomer</c>,
/// <c>signedbypartner</c>, <c>ecif</c>, <c>usersdeployed</c> and <c>workloads</c>, goes through the same intake as an
/// upload. Once its redemption is committed the drop is deleted from the inbox; a crash in between leaves it there, and
/// processing it again finds the same document in the same redemption. A drop that breaks any rule is moved, whole, to
/// <c>redemptions-rejected</c> with the reasons in its metadata <c>reason</c>: nothing dropped is ever lost.
/// </summary>
internal sealed partial class RedemptionDropFunction(
    BlobServiceClient blobs,
    StorageResources storage,
    RedemptionIntake intake,
    ILogger<RedemptionDropFunction> logger) : ITriggeredFunction
{
    public const string InboxContainer = "redemptions-inbox";
    public const string RejectedContainer = "redemptions-rejected";
    public const string ReasonMetadata = "reason";

    /// <summary>Blob metadata is at most 8 KiB in all; the reasons are cut well short of that.</summary>
    private const int MaxReasonLength = 2000;

    private readonly BlobContainerClient _inbox = blobs.GetBlobContainerClient(InboxContainer);

    public string Name => "RedemptionDrop";

    public Trigger Trigger { get; } = new BlobTrigger(InboxContainer);

    public async Task<InvocationResponse> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = BlobName(request);
        var drop = _inbox.GetBlobClient(name);
        BlobDownloadStreamingResult download;
        try
        {
            download = (await drop.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException gone) when (gone.Status == 404)
        {
            return InvocationResponse.Done($"{name} is no longer in {InboxContainer}: already processed");
        }

        using (download)
        {
            if (name.Split('/') is not [{ Length: > 0 } voucherId, { Length: > 0 } kind, { Length: > 0 } fileName])
            {
                return await RejectAsync(drop, download.Details, $"path: Expected {{voucherId}}/{{sow|poe}}/{{fileName}}, not {name}.", cancellationToken);
            }

            if (IdRule.Problem(voucherId) is { } badId)
            {
                return await RejectAsync(drop, download.Details, $"path: {badId} The voucher id '{voucherId}' is not one.", cancellationToken);
            }

            var form = new RedemptionForm();
            form.Add(RedemptionForm.KindField, kind);
            foreach (var (metadataName, value) in download.Details.Metadata)
            {
                form.Add(metadataName.Equals("ecif", StringComparison.OrdinalIgnoreCase) ? RedemptionForm.EcifFundedField : metadataName, value);
            }

            var redemptionId = RedemptionIntake.NewRedemptionId();
            form.Document = await intake.StageAsync(voucherId, redemptionId, fileName, download.Content, cancellationToken);
            var outcome = await intake.RecordAsync(voucherId, redemptionId, form, cancellationToken);
            if (outcome.Kind is not (RedemptionOutcomeKind.Received or RedemptionOutcomeKind.AlreadyReceived))
            {
                return await RejectAsync(drop, download.Details, string.Join("; ", outcome.Problems.Select(p => $"{p.Code}: {p.Message}")), cancellationToken);
            }

            // Only the version read is deleted: one written over it since is a new drop, and triggers again.
            await drop.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = download.Details.ETag }, cancellationToken: cancellationToken);
            return InvocationResponse.Done($"{name}: redemption {outcome.Redemption!.Id} of voucher {voucherId} ({outcome.Kind})");
        }
    }

    /// <summary>
    /// The blob's name within the inbox, from the trigger's <c>BlobTrigger</c> path (<c>{container}/{name}</c>): the
    /// invocation names the blob and carries no content, locally and from Event Grid alike.
    /// </summary>
    private static string BlobName(InvocationRequest request)
    {
        var path = request.Metadata.TryGetValue("BlobTrigger", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        const string prefix = InboxContainer + "/";
        return path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length
            ? path[prefix.Length..]
            : throw new InvalidOperationException($"The invocation's BlobTrigger '{path}' is not a blob in {prefix}.");
    }

    /// <summary>
    /// Moves the version of the drop that was judged to <c>redemptions-rejected</c> under the same name, its metadata
    /// kept and the reasons added. A name already rejected before fails the move, and the drop stays in the inbox:
    /// renaming one of them resolves it. A drop written over meanwhile is not moved: the new version triggers again.
    /// </summary>
    private async Task<InvocationResponse> RejectAsync(
        BlobClient drop, BlobDownloadDetails judged, string reasons, CancellationToken cancellationToken)
    {
        var rejected = await storage.ContainerAsync(RejectedContainer, cancellationToken);
        var ascii = new string([.. reasons.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        var reason = ascii.Length <= MaxReasonLength ? ascii : ascii[..MaxReasonLength];
        var metadata = new Dictionary<string, string>(judged.Metadata, StringComparer.OrdinalIgnoreCase) { [ReasonMetadata] = reason };
        await drop.MoveToAsync(judged.ETag, metadata, rejected, cancellationToken);
        LogRejected(drop.Name, reason);
        return InvocationResponse.Done($"{drop.Name} rejected: {reason}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redemption drop {BlobName} moved to " + RejectedContainer + ": {Reason}")]
    private partial void LogRejected(string blobName, string reason);
}
