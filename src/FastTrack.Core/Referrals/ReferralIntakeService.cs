using Azure;
using Azure.Data.Tables;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Customers;
using FastTrack.Core.Privacy;
using FastTrack.Core.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace FastTrack.Core.Referrals;

/// <summary>
/// Takes RFAs, once per <c>submissionId</c>, each write the intent of the next: the submission's referral id is
/// recorded (table <c>Submissions</c>), the referral's <see cref="ReferralWorkflow"/> scheduled, the contact indexed,
/// and only then the referral stored. A crash anywhere leaves what the retried submission (same
/// <c>submissionId</c>) completes, so a double-submitted or retried form makes exactly one referral and one workflow;
/// a workflow whose referral never appears ends by itself.
/// </summary>
public sealed partial class ReferralIntakeService(
    StorageResources storage,
    ReferralStore referrals,
    CustomerStore customers,
    ContactIndex contacts,
    ReferralIndex lists,
    IOptions<ReferralWorkflowOptions> options,
    TimeProvider clock,
    ILogger<ReferralIntakeService> logger)
{
    public const string SubmissionsTable = "Submissions";
    private const string Partition = "submission";

    /// <param name="workflows">The Durable client the referral's workflow is scheduled with.</param>
    public async Task<IntakeResult> SubmitAsync(Rfa rfa, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rfa);
        var customer = await customers.GetAsync(rfa.Customer.TenantId, cancellationToken);
        var claims = customer?.ClaimsByPartner() ?? new Dictionary<string, IReadOnlySet<Workload>>();
        var request = new MatchRequest(rfa.Customer, rfa.Type, rfa.Workloads, claims);
        var notAcceptable = ReferralIntake.WhyNotAcceptable(request);
        if (notAcceptable.Count > 0)
        {
            return new IntakeResult(null, null, notAcceptable);
        }

        // A newly reserved id cannot have a referral yet; one already recorded may (a resent form) or may not (an
        // intake that stopped before storing it, which this one completes).
        var (referralId, reserved) = await ReserveIdAsync(rfa.SubmissionId, cancellationToken);
        if (!reserved && await referrals.LoadAsync(referralId, cancellationToken) is { } existing)
        {
            LogDuplicate(rfa.SubmissionId, referralId);
            return new IntakeResult(referralId, existing.State.Status, []);
        }

        var submission = new ReferralSubmission(
            rfa.SubmissionId, rfa.Requestor, rfa.Contact, rfa.Notes, rfa.EngagementStartDate, clock.GetUtcNow());

        // Indexed before it exists, so that a personal data request finds every referral that does (SPEC §10); listed
        // before it exists too (the lists show an entry only once its referral does); its workflow scheduled last
        // before the rows, so that its first step rarely comes before them and has to wait.
        await Task.WhenAll(
            contacts.AddAsync(referralId, submission, cancellationToken),
            lists.AddReceivedAsync(referralId, submission.ReceivedAt, cancellationToken));
        await ReferralWorkflow.StartAsync(workflows, referralId, options.Value.FollowAppClock, cancellationToken);
        var received = Referral.Received(referralId, request);
        if (!await referrals.CreateAsync(referralId, submission, received, cancellationToken))
        {
            LogDuplicate(rfa.SubmissionId, referralId);
        }

        return new IntakeResult(referralId, received.Status, []);
    }

    /// <summary>
    /// The referral id of this submission: a new one recorded now (<c>Reserved</c>), or the one already recorded. The
    /// submission id is the row key as it is: the id rule (checked at intake) admits only characters that URL escaping
    /// leaves alone, so rows written when the key was the escaped id have the same key.
    /// </summary>
    private async Task<(string Id, bool Reserved)> ReserveIdAsync(string submissionId, CancellationToken cancellationToken)
    {
        var submissions = await storage.TableAsync(SubmissionsTable, cancellationToken);
        var candidate = Guid.NewGuid().ToString("N");
        try
        {
            await submissions.AddEntityAsync(
                new TableEntity(Partition, submissionId) { ["ReferralId"] = candidate, ["SubmissionId"] = submissionId }, cancellationToken);
            return (candidate, true);
        }
        catch (RequestFailedException conflict) when (conflict.Status == 409)
        {
            var recorded = await submissions.GetEntityAsync<TableEntity>(Partition, submissionId, cancellationToken: cancellationToken);
            return (recorded.Value.GetString("ReferralId")!, false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Submission {SubmissionId} was already received as referral {ReferralId}")]
    private partial void LogDuplicate(string submissionId, string referralId);
}

/// <summary>The referral made (or found) for an RFA, or why the program cannot take it.</summary>
public sealed record IntakeResult(string? ReferralId, ReferralStatus? Status, IReadOnlyList<string> NotAcceptable);
