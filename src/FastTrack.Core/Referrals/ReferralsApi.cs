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
/// matched moments later), <c>GET /api/referrals/{id}</c> and the list <c>GET /api/referrals?…</c> (operations).
/// </summary>
public sealed class ReferralsApi(ReferralIntakeService intake, ReferralStore store, ReferralIndex index, FunctionKeys keys, TimeProvider clock)
{
    /// <summary>API.md: at most 100 a page.</summary>
    public const int MaxPageSize = 100;

    public const int DefaultPageSize = 50;

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

    [EndpointName("ListReferrals"), Tags("Referrals")]
    [QueryParameter("status", typeof(ReferralStatus), "Only the referrals in this status.")]
    [QueryParameter("partnerId", typeof(string), "Only the referrals with a part this partner holds now.")]
    [QueryParameter("overdue", typeof(bool), "true: only the referrals with an offer past its deadline.")]
    [QueryParameter("createdFrom", typeof(DateTimeOffset), "Only the referrals received at or after this instant.")]
    [QueryParameter("createdTo", typeof(DateTimeOffset), "Only the referrals received before this instant; later than createdFrom.")]
    [PagedList(DefaultPageSize, MaxPageSize)]
    [EndpointSummary("Referrals newest first, filtered by status, partnerId, overdue=true (an offer past its deadline) and createdFrom (inclusive) / createdTo (exclusive); pageSize 1–100 (default 50). A page may be shorter than pageSize while a continuationToken is given: pass it back for the next.")]
    public async Task<Results<Ok<ReferralListPage>, ValidationProblem, ProblemHttpResult>> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (keys.Refuse(request, Roles.Operations) is { } refused)
        {
            return refused;
        }

        var fields = new QueryFields(request.Query, "status", "partnerId", "overdue", "createdFrom", "createdTo", "pageSize", "continuationToken");
        var query = new ReferralQuery(
            fields.Enum<ReferralStatus>("status"),
            fields.Id("partnerId"),
            fields.Bool("overdue"),
            fields.Instant("createdFrom"),
            fields.Instant("createdTo"),
            fields.PageSize("pageSize", DefaultPageSize, MaxPageSize),
            fields.Token("continuationToken", ReferralIndex.IsPosition));
        if (query.CreatedFrom >= query.CreatedTo)
        {
            fields.Problem("createdTo", "createdTo must be later than createdFrom.");
        }

        if (fields.HasProblems)
        {
            return TypedResults.ValidationProblem(fields.Problems(), title: "The list's parameters have problems.");
        }

        var page = await index.PageAsync(query, clock.GetUtcNow(), cancellationToken);
        return TypedResults.Ok(new ReferralListPage(
            [.. page.Items.Select(ReferralListItem.From)], ContinuationTokens.Create(page.After)));
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

/// <summary>A page of <c>GET /api/referrals</c> (API.md); <c>continuationToken</c> is null on the last page.</summary>
public sealed record ReferralListPage(IReadOnlyList<ReferralListItem> Items, string? ContinuationToken);

/// <summary>A referral in a list: no contact or requestor, only what tells referrals apart.</summary>
public sealed record ReferralListItem(
    string Id, ReferralType Type, ReferralStatus Status, ListedCustomer Customer, DateTimeOffset CreatedAt, IReadOnlyList<ListedPart> Parts)
{
    public static ReferralListItem From(IndexedReferral indexed)
    {
        ArgumentNullException.ThrowIfNull(indexed);
        var referral = indexed.Referral;
        return new ReferralListItem(
            referral.Id,
            referral.Type,
            referral.Status,
            new ListedCustomer(referral.Request.Customer.Name, referral.Request.Customer.Country),
            indexed.CreatedAt,
            [.. referral.Parts.Select(part => new ListedPart(part.Id, part.PartnerId, part.Status, part.DueAt))]);
    }
}

public sealed record ListedCustomer(string Name, string Country);

public sealed record ListedPart(string Id, string? PartnerId, PartStatus Status, DateTimeOffset? DueAt);

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
