using System.Text.Json;
using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using FastTrack.Domain.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.DurableTask.Client;

namespace FastTrack.Core.Privacy;

/// <summary>Personal data requests (API.md "Personal data"), operations key only.</summary>
public sealed class PrivacyApi(PrivacyRequests requests, FunctionKeys keys, TimeProvider clock)
{
    public const string RequestsRoute = "api/privacy/requests";
    public const string RequestRoute = "api/privacy/requests/{id}";

    /// <param name="workflows">The Durable client: the request is carried out by a <see cref="PrivacyRequestWorkflow"/>.</param>
    [EndpointName("FilePrivacyRequest"), Tags("Personal data")]
    [EndpointSummary("Files an export or erasure of a person's data, by email: 202 with its id and due date (30 days).")]
    public async Task<Results<Accepted<PrivacyRequestFiled>, ValidationProblem, ProblemHttpResult>> FileAsync(
        HttpRequest request, DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        if (keys.Refuse(request, Roles.Operations) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (body.Problem is not null)
        {
            return body.ToProblem("The request cannot be read; nothing was stored.");
        }

        var fields = JsonFields.Of(body.Value);
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

        var filed = PrivacyRequest.Receive(Guid.NewGuid().ToString("N"), kind.Value, email, clock.GetUtcNow());
        await requests.AddAsync(filed, cancellationToken);
        await PrivacyRequestWorkflow.StartAsync(workflows, requests, filed.Id, filed.ReceivedAt, cancellationToken);
        return TypedResults.Accepted(
            $"/api/privacy/requests/{filed.Id}", new PrivacyRequestFiled(filed.Id, filed.Status, filed.DueBy));
    }

    [EndpointName("GetPrivacyRequest"), Tags("Personal data")]
    [EndpointSummary("The request's status and, once completed, what the export found or what the erasure did.")]
    public async Task<Results<Ok<PrivacyRequestView>, ProblemHttpResult>> GetAsync(
        HttpRequest request, string id, CancellationToken cancellationToken)
    {
        if ((keys.Refuse(request, Roles.Operations) ?? RouteIds.Refuse((nameof(id), id))) is { } refused)
        {
            return refused;
        }

        if (await requests.GetAsync(id, cancellationToken) is not { } stored)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: "Unknown request", detail: $"There is no personal data request {id}.");
        }

        var result = await requests.ResultAsync(id, cancellationToken);
        return TypedResults.Ok(PrivacyRequestView.From(stored, clock.GetUtcNow(), result));
    }

    [EndpointName("ListPrivacyRequests"), Tags("Personal data")]
    [EndpointSummary("Requests not yet completed, oldest first; ?overdue=true only those past their due date.")]
    public async Task<Results<Ok<List<PrivacyRequestView>>, ValidationProblem, ProblemHttpResult>> ListOpenAsync(
        HttpRequest request, CancellationToken cancellationToken)
    {
        if (keys.Refuse(request, Roles.Operations) is { } refused)
        {
            return refused;
        }

        var overdue = false;
        if (request.Query.TryGetValue("overdue", out var given) && !bool.TryParse(given, out overdue))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["overdue"] = ["Expected true or false."] });
        }

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
