using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Domain;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// The offer desk's blob drop (API.md "Vouchers"): a document written to <c>redemptions-inbox</c> as
/// <c>{voucherId}/{sow|poe}/{fileName}</c>, with metadata <c>templateid</c>, <c>signedbycustomer</c>,
/// <c>signedbypartner</c>, <c>ecif</c>, <c>usersdeployed</c> and <c>workloads</c>, goes through the same intake as an
/// upload. Once its redemption is committed the drop is deleted from the inbox; a crash in between leaves it there, and
/// processing it again finds the same document in the same redemption. A drop that breaks any rule is moved, whole, to
/// <c>redemptions-rejected</c> with the reasons in its metadata <c>reason</c>: nothing dropped is ever lost. A blob
/// function: the trigger names the blob and carries no content (Event Grid in Azure, polling on the dev host), and the
/// document is read here, streamed.
/// </summary>
public sealed partial class RedemptionDrop(
    BlobServiceClient blobs,
    StorageResources storage,
    RedemptionIntake intake,
    ILogger<RedemptionDrop> logger)
{
    public const string InboxContainer = "redemptions-inbox";
    public const string RejectedContainer = "redemptions-rejected";
    public const string ReasonMetadata = "reason";

    /// <summary>Blob metadata is at most 8 KiB in all; the reasons are cut well short of that.</summary>
    private const int MaxReasonLength = 2000;

    private readonly BlobContainerClient _inbox = blobs.GetBlobContainerClient(InboxContainer);

    public const string FunctionName = "RedemptionDrop";

    /// <summary>Records the drop <paramref name="name"/> (its name within <see cref="InboxContainer"/>), or rejects it.</summary>
    public async Task ProcessAsync(string name, CancellationToken cancellationToken)
    {
        var drop = _inbox.GetBlobClient(name);
        BlobDownloadStreamingResult download;
        try
        {
            download = (await drop.DownloadStreamingAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException gone) when (gone.Status == 404)
        {
            LogGone(name);
            return;
        }

        using (download)
        {
            if (name.Split('/') is not [{ Length: > 0 } voucherId, { Length: > 0 } kind, { Length: > 0 } fileName])
            {
                await RejectAsync(drop, download.Details, $"path: Expected {{voucherId}}/{{sow|poe}}/{{fileName}}, not {name}.", cancellationToken);
                return;
            }

            if (IdRule.Problem(voucherId) is { } badId)
            {
                await RejectAsync(drop, download.Details, $"path: {badId} The voucher id '{voucherId}' is not one.", cancellationToken);
                return;
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
                await RejectAsync(drop, download.Details, string.Join("; ", outcome.Problems.Select(p => $"{p.Code}: {p.Message}")), cancellationToken);
                return;
            }

            // Only the version read is deleted: one written over it since is a new drop, and triggers again.
            await drop.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = download.Details.ETag }, cancellationToken: cancellationToken);
            LogRecorded(name, outcome.Redemption!.Id, voucherId, outcome.Kind);
        }
    }

    /// <summary>
    /// Moves the version of the drop that was judged to <c>redemptions-rejected</c> under the same name, its metadata
    /// kept and the reasons added. A name already rejected before fails the move, and the drop stays in the inbox:
    /// renaming one of them resolves it. A drop written over meanwhile is not moved: the new version triggers again.
    /// </summary>
    private async Task RejectAsync(
        BlobClient drop, BlobDownloadDetails judged, string reasons, CancellationToken cancellationToken)
    {
        var rejected = await storage.ContainerAsync(RejectedContainer, cancellationToken);
        var ascii = new string([.. reasons.Select(c => c is >= ' ' and <= '~' ? c : '?')]);
        var reason = ascii.Length <= MaxReasonLength ? ascii : ascii[..MaxReasonLength];
        var metadata = new Dictionary<string, string>(judged.Metadata, StringComparer.OrdinalIgnoreCase) { [ReasonMetadata] = reason };
        await drop.MoveToAsync(judged.ETag, metadata, rejected, cancellationToken);
        LogRejected(drop.Name, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redemption drop {BlobName} moved to " + RejectedContainer + ": {Reason}")]
    private partial void LogRejected(string blobName, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redemption drop {BlobName}: redemption {RedemptionId} of voucher {VoucherId} ({Outcome})")]
    private partial void LogRecorded(string blobName, string redemptionId, string voucherId, RedemptionOutcomeKind outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redemption drop {BlobName} is no longer in " + InboxContainer + ": already processed")]
    private partial void LogGone(string blobName);
}
