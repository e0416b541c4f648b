using FastTrack.Domain.Vouchers;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// The one way a signed document becomes a redemption, whether uploaded or dropped: stage the document under a new
/// redemption id, bind what is declared about it, and submit it to the voucher. The staged document is kept only when
/// it is a new redemption's: a refused one, or the same document again (the voucher answers with the redemption that
/// already holds it, or refuses it as declared otherwise), is deleted, so a document is stored once.
/// </summary>
public sealed partial class RedemptionIntake(VoucherService vouchers, DocumentStore documents, ILogger<RedemptionIntake> logger)
{
    /// <summary>A redemption id, chosen before the document is read because it names the blob the document streams into.</summary>
    public static string NewRedemptionId() => Guid.NewGuid().ToString("N")[..16];

    public Task<StagedDocument> StageAsync(
        string voucherId, string redemptionId, string fileName, Stream content, CancellationToken cancellationToken) =>
        documents.StageAsync(voucherId, redemptionId, fileName, content, cancellationToken);

    /// <summary>For a request that failed half way: nothing of it is kept.</summary>
    public Task DiscardAsync(string voucherId, string redemptionId) =>
        documents.DiscardAsync(voucherId, redemptionId, CancellationToken.None);

    /// <summary>
    /// Submits what <paramref name="form"/> holds as redemption <paramref name="redemptionId"/> of the voucher. When
    /// the submission throws (a commit whose answer was lost, say) the document stays: better unreferenced than missing.
    /// </summary>
    public async Task<RedemptionOutcome> RecordAsync(
        string voucherId, string redemptionId, RedemptionForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await DecideAsync(voucherId, redemptionId, form, cancellationToken);
        if (outcome.Kind == RedemptionOutcomeKind.Received)
        {
            LogReceived(voucherId, redemptionId, outcome.Redemption!.Kind, outcome.Redemption.Document.Sha256);
        }
        else
        {
            await documents.DiscardAsync(voucherId, redemptionId, CancellationToken.None);
        }

        return outcome;
    }

    private async Task<RedemptionOutcome> DecideAsync(
        string voucherId, string redemptionId, RedemptionForm form, CancellationToken cancellationToken)
    {
        if (form.Document?.Problem is { Code: DocumentStore.TooLargeCode } tooLarge)
        {
            return new(RedemptionOutcomeKind.TooLarge, null, null, [tooLarge]);
        }

        var (submission, problems) = form.Bind();
        if (submission is null)
        {
            return new(RedemptionOutcomeKind.Invalid, null, null, problems);
        }

        var change = await vouchers.SubmitAsync(voucherId, redemptionId, submission, cancellationToken);
        return change switch
        {
            null => new(RedemptionOutcomeKind.NoVoucher, null, null, [new("VoucherNotFound", $"There is no voucher {voucherId}.")]),
            { Succeeded: false } when change.Violations.Any(v => v.Code == Voucher.DocumentAlreadyHeldCode) =>
                new(RedemptionOutcomeKind.Conflict, change.Voucher, change.Redemption, change.Violations),
            { Succeeded: false } => new(RedemptionOutcomeKind.Refused, change.Voucher, null, change.Violations),
            { Redemption.Id: var id } when id == redemptionId => new(RedemptionOutcomeKind.Received, change.Voucher, change.Redemption, []),
            _ => new(RedemptionOutcomeKind.AlreadyReceived, change.Voucher, change.Redemption, []),
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Voucher {VoucherId}: redemption {RedemptionId} ({Kind}) received, document SHA-256 {Sha256}")]
    private partial void LogReceived(string voucherId, string redemptionId, RedemptionKind kind, string sha256);
}

public enum RedemptionOutcomeKind
{
    /// <summary>A new redemption holds the document.</summary>
    Received,

    /// <summary>
    /// The same document (same SHA-256) was received before, declared the same way: <see cref="RedemptionOutcome.Redemption"/>
    /// is that redemption.
    /// </summary>
    AlreadyReceived,

    /// <summary>
    /// The same document is already another redemption of the voucher, of another kind or declared otherwise:
    /// <see cref="RedemptionOutcome.Redemption"/> is that redemption.
    /// </summary>
    Conflict,

    /// <summary>The form, the path or metadata, or the document's content had problems (code = field name).</summary>
    Invalid,

    /// <summary>The voucher's rules refused the submission.</summary>
    Refused,

    /// <summary>The document is over <see cref="VoucherSettings.MaxDocumentBytes"/>.</summary>
    TooLarge,

    NoVoucher,
}

/// <summary>What became of a document sent in: the voucher and the redemption that holds it, or every problem found.</summary>
public sealed record RedemptionOutcome(
    RedemptionOutcomeKind Kind, Voucher? Voucher, Redemption? Redemption, IReadOnlyList<RuleViolation> Problems)
{
    /// <summary>The problems by code (for <see cref="RedemptionOutcomeKind.Invalid"/>, by field), as a validation problem lists them.</summary>
    public Dictionary<string, string[]> ProblemsByCode() =>
        Problems.GroupBy(p => p.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray(), StringComparer.Ordinal);
}
