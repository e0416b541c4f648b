using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using FastTrack.Core.Mail;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace FastTrack.Core.Referrals;

/// <summary>
/// <c>POST /api/referrals</c> (the RFA, intake role: 202 once the referral is stored and its workflow scheduled; it is
/// matched moments later) and <c>GET /api/referrals/{id}</c> (operations).
/// </summary>
public sealed class ReferralsApi(ReferralIntakeService intake, ReferralStore store, FunctionKeys keys)
{
    public const string ReferralsRoute = "api/referrals";
    public const string ReferralRoute = "api/referrals/{id}";

    [EndpointName("SubmitReferral"), Tags("Referrals")]
    [EndpointSummary("Submits an RFA: 202 with the referral id (status Matching: its workflow matches it moments later); the same submissionId again returns the same id.")]
    [Consumes(typeof(JsonObject), "application/json", "application/x-www-form-urlencoded")]
    /// <param name="workflows">The Durable client the referral's workflow is scheduled with.</param>
    public async Task<Results<Accepted<SubmittedReferral>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        if (keys.Refuse(request, Roles.Intake) is { } refused)
        {
            return refused;
        }

        JsonElement body;
        if (request.HasFormContentType)
        {
            var form = await RequestBody.ReadFormAsync(request, cancellationToken);
            if (form.Value is null)
            {
                return form.ToProblem("The form cannot be read; nothing was stored.");
            }

            try
            {
                body = RfaParser.FromForm(form.Value);
            }
            catch (JsonException tooDeep)
            {
                return TypedResults.Problem(
                    $"The form's field names nest deeper than an RFA's: {tooDeep.Message}",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "The form cannot be read; nothing was stored.");
            }
        }
        else
        {
            var json = await RequestBody.ReadJsonAsync(request, cancellationToken);
            if (json.Problem is not null)
            {
                return json.ToProblem("The RFA cannot be read; nothing was stored.");
            }

            body = json.Value;
        }

        var (rfa, errors) = RfaParser.Parse(body);
        if (rfa is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The RFA has problems; nothing was stored.");
        }

        var result = await intake.SubmitAsync(rfa, workflows, cancellationToken);
        return result.NotAcceptable.Count > 0
            ? TypedResults.Problem(
                title: "The program cannot take this RFA; nothing was stored.",
                detail: string.Join(" ", result.NotAcceptable),
                statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["problems"] = result.NotAcceptable })
            : TypedResults.Accepted($"/api/referrals/{result.ReferralId}", new SubmittedReferral(result.ReferralId!, result.Status!.Value));
    }

    [EndpointName("GetReferral"), Tags("Referrals")]
    [EndpointSummary("The referral with its parts and full history, including the matching explanations.")]
    public async Task<Results<Ok<ReferralView>, ProblemHttpResult>> GetAsync(HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if ((keys.Refuse(request, Roles.Operations) ?? RouteIds.Refuse((nameof(id), id))) is { } refused)
        {
            return refused;
        }

        return await store.GetAsync(id, cancellationToken) is { } record
            ? TypedResults.Ok(ReferralView.From(record))
            : TypedResults.Problem($"There is no referral {id}.", statusCode: StatusCodes.Status404NotFound);
    }
}

/// <summary>The answer to an RFA (API.md): the referral's id and status.</summary>
public sealed record SubmittedReferral(string Id, ReferralStatus Status);

/// <summary>The referral as API.md shows it: parts, history and the RFA's details.</summary>
public sealed record ReferralView(
    string Id,
    ReferralType Type,
    ReferralStatus Status,
    Customer Customer,
    IReadOnlyList<Workload> Workloads,
    IReadOnlyList<PartView> Parts,
    IReadOnlyList<HistoryEntry> History,
    string SubmissionId,
    Requestor Requestor,
    CustomerContact Contact,
    string? Notes,
    DateOnly? EngagementStartDate,
    DateTimeOffset ReceivedAt)
{
    public static ReferralView From(ReferralRecord record)
    {
        var (state, submission) = (record.State, record.Submission);
        return new ReferralView(
            state.Id,
            state.Type,
            state.Status,
            state.Request.Customer,
            [.. state.Request.Workloads.Order()],
            [.. state.Parts.Select(PartView.From)],
            record.History,
            submission.SubmissionId,
            submission.Requestor,
            submission.Contact,
            submission.Notes,
            submission.EngagementStartDate,
            submission.ReceivedAt);
    }
}

public sealed record PartView(
    string Id,
    IReadOnlyList<Workload> Workloads,
    PartStatus Status,
    string? PartnerId,
    DateTimeOffset? OfferedAt,
    DateTimeOffset? DueAt,
    int Attempts,
    Completion? Completion)
{
    public static PartView From(AssignmentPart part) => new(
        part.Id, [.. part.Workloads.Order()], part.Status, part.PartnerId, part.OfferedAt, part.DueAt, part.Attempt, part.Completion);
}
