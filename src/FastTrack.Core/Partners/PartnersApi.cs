using System.Text.Json;
using FastTrack.Domain.Partners;
using FastTrack.Core.Auth;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FastTrack.Core.Partners;

/// <summary>Partner profiles (API.md "Operations data"): import, read, list, pause. Operations key only.</summary>
public static class PartnersApi
{
    public static IEndpointRouteBuilder MapPartnersApi(this IEndpointRouteBuilder endpoints)
    {
        var partners = endpoints.MapGroup("/api/partners").WithTags("Partners").RequireAuthorization(Roles.Operations);
        partners.MapPut("/{partnerId}", PutPartnerAsync)
            .WithName("PutPartner")
            .WithSummary("Creates or replaces a partner's profile; its matching state (last assignment, pause, capacity decline) is kept.");
        partners.MapGet("/{partnerId}", GetPartnerAsync)
            .WithIdRule("partnerId")
            .WithName("GetPartner")
            .WithSummary("The partner's profile and matching state.");
        partners.MapGet("/", ListPartnersAsync)
            .WithName("ListPartners")
            .WithSummary("Every partner, ordered by id.");
        partners.MapPost("/{partnerId}/pause", PausePartnerAsync)
            .WithIdRule("partnerId")
            .WithName("PausePartner")
            .WithSummary("Turns referrals off for the partner until the given time, at most 30 days ahead.");
        return endpoints;
    }

    private static async Task<Results<Created<PartnerView>, Ok<PartnerView>, ValidationProblem>> PutPartnerAsync(
        string partnerId, JsonElement body, PartnerStore store, CancellationToken cancellationToken)
    {
        var (profile, problems) = PartnerInput.Read(partnerId, body);
        if (profile is null)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var saved = await store.SaveProfileAsync(profile, cancellationToken);
        var view = PartnerView.From(saved.Partner);
        return saved.Created
            ? TypedResults.Created($"/api/partners/{Uri.EscapeDataString(partnerId)}", view)
            : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<PartnerView>, ProblemHttpResult>> GetPartnerAsync(
        string partnerId, PartnerStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(partnerId, cancellationToken) is { } partner
            ? TypedResults.Ok(PartnerView.From(partner))
            : NotFound(partnerId);

    private static async Task<Ok<PartnerView[]>> ListPartnersAsync(PartnerStore store, CancellationToken cancellationToken)
    {
        var partners = await store.ListAsync(cancellationToken);
        return TypedResults.Ok(partners.OrderBy(p => p.Id, StringComparer.Ordinal).Select(PartnerView.From).ToArray());
    }

    private static async Task<Results<Ok<PartnerView>, ValidationProblem, ProblemHttpResult>> PausePartnerAsync(
        string partnerId, JsonElement body, PartnerStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var fields = JsonFields.Of(body);
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
