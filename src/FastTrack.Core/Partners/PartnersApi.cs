using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using FastTrack.Domain;
using FastTrack.Domain.Partners;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Partners;

/// <summary>Partner profiles (API.md "Operations data"): import, read, list, pause. Operations key only.</summary>
public sealed class PartnersApi(PartnerStore store, FunctionKeys keys, TimeProvider clock)
{
    public const string ListRoute = "api/partners";
    public const string PartnerRoute = "api/partners/{partnerId}";
    public const string PauseRoute = "api/partners/{partnerId}/pause";
    public const int MaxPageSize = 100;
    public const int DefaultPageSize = 50;

    [EndpointName("PutPartner"), Tags("Partners")]
    [EndpointSummary("Creates or replaces a partner's profile; its matching state (last assignment, pause, capacity decline) is kept.")]
    public async Task<Results<Created<PartnerView>, Ok<PartnerView>, ValidationProblem, ProblemHttpResult>> PutAsync(
        HttpRequest request, string partnerId, CancellationToken cancellationToken)
    {
        if (keys.Refuse(request, Roles.Operations) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (body.Problem is not null)
        {
            return body.ToProblem("The profile cannot be read; nothing was stored.");
        }

        var (profile, problems) = PartnerInput.Read(partnerId, body.Value);
        if (profile is null)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var saved = await store.SaveProfileAsync(profile, cancellationToken);
        var view = PartnerView.From(saved.Partner);
        return saved.Created ? TypedResults.Created($"/api/partners/{partnerId}", view) : TypedResults.Ok(view);
    }

    [EndpointName("GetPartner"), Tags("Partners")]
    [EndpointSummary("The partner's profile and matching state.")]
    public async Task<Results<Ok<PartnerView>, ProblemHttpResult>> GetAsync(
        HttpRequest request, string partnerId, CancellationToken cancellationToken)
    {
        if ((keys.Refuse(request, Roles.Operations) ?? RouteIds.Refuse((nameof(partnerId), partnerId))) is { } refused)
        {
            return refused;
        }

        return await store.GetAsync(partnerId, cancellationToken) is { } partner
            ? TypedResults.Ok(PartnerView.From(partner))
            : NotFound(partnerId);
    }

    [EndpointName("ListPartners"), Tags("Partners")]
    [PagedList(DefaultPageSize, MaxPageSize)]
    [EndpointSummary("Partners in id order, pageSize 1–100 (default 50) a page; pass continuationToken back for the next page (null on the last).")]
    public async Task<Results<Ok<PartnerListPage>, ValidationProblem, ProblemHttpResult>> ListAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (keys.Refuse(request, Roles.Operations) is { } refused)
        {
            return refused;
        }

        var fields = new QueryFields(request.Query, "pageSize", "continuationToken");
        var pageSize = fields.PageSize("pageSize", DefaultPageSize, MaxPageSize);
        var after = fields.Token("continuationToken", IdRule.IsValid);
        if (fields.HasProblems)
        {
            return TypedResults.ValidationProblem(fields.Problems(), title: "The list's parameters have problems.");
        }

        var (partners, next) = await store.PageAsync(after, pageSize, cancellationToken);
        return TypedResults.Ok(new PartnerListPage([.. partners.Select(PartnerView.From)], ContinuationTokens.Create(next)));
    }

    [EndpointName("PausePartner"), Tags("Partners")]
    [EndpointSummary("Turns referrals off for the partner until the given time, at most 30 days ahead.")]
    public async Task<Results<Ok<PartnerView>, ValidationProblem, ProblemHttpResult>> PauseAsync(
        HttpRequest request, string partnerId, CancellationToken cancellationToken)
    {
        if ((keys.Refuse(request, Roles.Operations) ?? RouteIds.Refuse((nameof(partnerId), partnerId))) is { } refused)
        {
            return refused;
        }

        var body = await RequestBody.ReadJsonAsync(request, cancellationToken);
        if (body.Problem is not null)
        {
            return body.ToProblem("The pause cannot be read; nothing was changed.");
        }

        var fields = JsonFields.Of(body.Value);
        var until = fields.Instant("until");
        var now = clock.GetUtcNow();
        if (until < now)
        {
            fields.Problem("until", $"A pause ends in the future; it is now {now:O}.");
        }
        else if (until is { } end && PartnerProfile.CheckPause(end, now) is { } tooLong)
        {
            fields.Problem("until", tooLong);
        }

        if (fields.HasProblems)
        {
            return TypedResults.ValidationProblem(fields.Problems());
        }

        return await store.PauseAsync(partnerId, until!.Value, cancellationToken) is { } partner
            ? TypedResults.Ok(PartnerView.From(partner))
            : NotFound(partnerId);
    }

    private static ProblemHttpResult NotFound(string partnerId) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound, title: "Unknown partner", detail: $"There is no partner {partnerId}.");
}

/// <summary>A page of <c>GET /api/partners</c> (API.md); <c>continuationToken</c> is null on the last page.</summary>
public sealed record PartnerListPage(IReadOnlyList<PartnerView> Items, string? ContinuationToken);
