using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using FastTrack.Core.Mail;

namespace FastTrack.Core.Referrals;

/// <summary><c>POST /api/referrals</c> (the RFA, intake role) and <c>GET /api/referrals/{id}</c> (operations).</summary>
public static class ReferralsApi
{
    public static IEndpointRouteBuilder MapReferralsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/referrals", SubmitAsync)
            .RequireAuthorization(Roles.Intake)
            .Accepts<JsonObject>("application/json", "application/x-www-form-urlencoded")
            .WithName("SubmitReferral")
            .WithSummary("Submits an RFA: 202 with the referral id; the same submissionId again returns the same id.");
        endpoints.MapGet("/api/referrals/{id}", GetAsync)
            .WithIdRule("id")
            .RequireAuthorization(Roles.Operations)
            .WithName("GetReferral")
            .WithSummary("The referral with its parts and full history, including the matching explanations.");
        return endpoints;
    }

    private static async Task<IResult> SubmitAsync(
        HttpRequest request, ReferralIntakeService intake, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            if (request.HasFormContentType)
            {
                var read = await FormBody.ReadAsync(request, cancellationToken);
                if (read.Form is null)
                {
                    return Results.Problem(read.Problem, statusCode: read.Status, title: "The form cannot be read; nothing was stored.");
                }

                body = RfaParser.FromForm(read.Form);
            }
            else
            {
                body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken);
            }
        }
        catch (JsonException exception)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [""] = [$"Malformed JSON: {exception.Message}"] });
        }

        var (rfa, errors) = RfaParser.Parse(body);
        if (rfa is null)
        {
            return Results.ValidationProblem(errors, title: "The RFA has problems; nothing was stored.");
        }

        var result = await intake.SubmitAsync(rfa, cancellationToken);
        return result.NotAcceptable.Count > 0
            ? Results.Problem(
                title: "The program cannot take this RFA; nothing was stored.",
                detail: string.Join(" ", result.NotAcceptable),
                statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["problems"] = result.NotAcceptable })
            : Results.Accepted($"/api/referrals/{result.ReferralId}", new { id = result.ReferralId, status = result.Status });
    }

    private static async Task<IResult> GetAsync(string id, ReferralStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } record
            ? Results.Ok(ReferralView.From(record))
            : Results.Problem($"There is no referral {id}.", statusCode: StatusCodes.Status404NotFound);
}

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
