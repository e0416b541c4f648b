using System.Text.Json;
using FastTrack.Domain.Privacy;
using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Privacy;

/// <summary>Personal data requests (API.md "Personal data"), operations key only.</summary>
public static class PrivacyApi
{
    public static IEndpointRouteBuilder MapPrivacyApi(this IEndpointRouteBuilder endpoints)
    {
        var privacy = endpoints.MapGroup("/api/privacy/requests").WithTags("Personal data").RequireAuthorization(Roles.Operations);
        privacy.MapPost(string.Empty, FileAsync)
            .WithName("FilePrivacyRequest")
            .WithSummary("Files an export or erasure of a person's data, by email: 202 with its id and due date (30 days).");
        privacy.MapGet("/{id}", GetAsync)
            .WithIdRule("id")
            .WithName("GetPrivacyRequest")
            .WithSummary("The request's status and, once completed, what the export found or what the erasure did.");
        privacy.MapGet(string.Empty, ListOpenAsync)
            .WithName("ListPrivacyRequests")
            .WithSummary("Requests not yet completed, oldest first; ?overdue=true only those past their due date.");
        return endpoints;
    }

    private static async Task<Results<Accepted<PrivacyRequestFiled>, ValidationProblem>> FileAsync(
        JsonElement body, PrivacyRequests requests, TimeProvider clock, CancellationToken cancellationToken)
    {
        var fields = JsonFields.Of(body);
        var kind = fields.Enum<PrivacyRequestKind>("kind");
        var email = fields.String("email")?.Trim();
        if (email is not null && !IsEmailAddress(email))
        {
            fields.Problem("email", "Not an email address.");
        }

        if (kind is null || email is null || fields.HasProblems)
        {
            return TypedResults.ValidationProblem(fields.Problems(), title: "The request has problems; nothing was stored.");
        }

        var request = PrivacyRequest.Receive(Guid.NewGuid().ToString("N"), kind.Value, email, clock.GetUtcNow());
        await requests.AddAsync(request, cancellationToken);
        await requests.EnqueueAsync(request.Id, request.ReceivedAt, cancellationToken);
        return TypedResults.Accepted(
            $"/api/privacy/requests/{request.Id}", new PrivacyRequestFiled(request.Id, request.Status, request.DueBy));
    }

    private static async Task<Results<Ok<PrivacyRequestView>, ProblemHttpResult>> GetAsync(
        string id, PrivacyRequests requests, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await requests.GetAsync(id, cancellationToken) is not { } stored)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Unknown request", detail: $"There is no personal data request {id}.");
        }

        var result = await requests.ResultAsync(id, cancellationToken);
        return TypedResults.Ok(PrivacyRequestView.From(stored, clock.GetUtcNow(), result));
    }

    private static async Task<Ok<List<PrivacyRequestView>>> ListOpenAsync(
        PrivacyRequests requests, TimeProvider clock, CancellationToken cancellationToken, bool overdue = false)
    {
        var now = clock.GetUtcNow();
        var open = await requests.OpenAsync(cancellationToken);
        return TypedResults.Ok(open
            .Where(stored => !overdue || stored.Request.IsOverdue(now))
            .Select(stored => PrivacyRequestView.From(stored, now, result: null))
            .ToList());
    }

    /// <summary>An address Graph's search can take: one @ with text on both sides, no spaces or quotes.</summary>
    private static bool IsEmailAddress(string email) =>
        email.Length <= 254 && email.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < email.Length - 1 &&
        !email.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'');
}

/// <summary>The answer to filing a request (API.md).</summary>
public sealed record PrivacyRequestFiled(string Id, PrivacyRequestStatus Status, DateTimeOffset DueBy);

/// <summary>
/// A request as operations sees it. It does not show the email address: the request keeps it only while open, and
/// an export's data (which includes it) is shown only until the person's data is erased.
/// </summary>
public sealed record PrivacyRequestView(
    string Id,
    PrivacyRequestKind Kind,
    PrivacyRequestStatus Status,
    DateTimeOffset ReceivedAt,
    DateTimeOffset DueBy,
    DateTimeOffset? CompletedAt,
    bool Overdue,
    JsonElement? Export,
    JsonElement? Erasure,
    bool ExportErased)
{
    public static PrivacyRequestView From(StoredPrivacyRequest stored, DateTimeOffset now, JsonElement? result)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var request = stored.Request;
        return new PrivacyRequestView(
            request.Id,
            request.Kind,
            request.Status,
            request.ReceivedAt,
            request.DueBy,
            request.CompletedAt,
            request.IsOverdue(now),
            request.Kind == PrivacyRequestKind.Export ? result : null,
            request.Kind == PrivacyRequestKind.Erase ? result : null,
            stored.ResultErased);
    }
}
