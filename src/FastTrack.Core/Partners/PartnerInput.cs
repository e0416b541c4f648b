using System.Text.Json;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Partners;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;

namespace FastTrack.Core.Partners;

/// <summary>The body of <c>PUT /api/partners/{partnerId}</c> (API.md) read into a profile, or every problem with it.</summary>
public static class PartnerInput
{
    /// <summary>
    /// Stands in for fields that are missing or ill-typed (already reported), so that
    /// <see cref="PartnerProfile.Problems"/> speaks only of the values actually given.
    /// </summary>
    private static readonly PartnerProfile Placeholder = new(
        "placeholder", "placeholder", Fpc: true, Frp: true, ReferralReady: true, BenefitReferrals: true, "US",
        new HashSet<string>(), new HashSet<string> { "en" }, new HashSet<Segment>(), 0, int.MaxValue,
        new HashSet<Workload>(), "placeholder@example.com", "UTC", "placeholder@example.com");

    /// <summary>The profile (without matching state), or the problems keyed by field; never both.</summary>
    public static (PartnerProfile? Profile, Dictionary<string, string[]> Problems) Read(string partnerId, JsonElement body)
    {
        var fields = JsonFields.Of(body);
        fields.CheckId("partnerId", partnerId);

        var countries = fields.Strings("countries", required: false)?.Select(JsonFields.Country).ToHashSet();
        var languages = fields.Strings("languages")?.Select(JsonFields.Language).ToHashSet();
        var fpmEmail = fields.String("fpmEmail");
        if (fpmEmail is not null && !fpmEmail.Contains('@', StringComparison.Ordinal))
        {
            fields.Problem("fpmEmail", "Expected an email address.");
        }

        var profile = new PartnerProfile(
            partnerId,
            fields.String("name") ?? Placeholder.Name,
            fields.Boolean("fpc") ?? Placeholder.Fpc,
            fields.Boolean("frp") ?? Placeholder.Frp,
            fields.Boolean("referralReady") ?? Placeholder.ReferralReady,
            fields.Boolean("benefitReferrals") ?? Placeholder.BenefitReferrals,
            fields.String("homeCountry") is { } home ? JsonFields.Country(home) : Placeholder.HomeCountry,
            countries ?? Placeholder.Countries,
            languages ?? Placeholder.Languages,
            fields.Enums<Segment>("industries", required: false) ?? Placeholder.Industries,
            fields.Int32("minSeats") ?? Placeholder.MinSeats,
            fields.Int32("maxSeats") ?? Placeholder.MaxSeats,
            fields.Enums<Workload>("endorsements") ?? Placeholder.Endorsements,
            fields.String("referralContact") ?? Placeholder.ReferralContact,
            fields.String("timeZone") ?? Placeholder.TimeZone,
            fpmEmail ?? Placeholder.FpmEmail);
        foreach (var problem in profile.Problems())
        {
            fields.Problem("profile", problem);
        }

        return fields.HasProblems ? (null, fields.Problems()) : (profile, []);
    }
}

/// <summary>A partner as the API shows it: the profile as imported plus the matching state kept next to it.</summary>
public sealed record PartnerView(
    string Id,
    string Name,
    bool Fpc,
    bool Frp,
    bool ReferralReady,
    bool BenefitReferrals,
    string HomeCountry,
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Languages,
    IReadOnlyList<Segment> Industries,
    int MinSeats,
    int MaxSeats,
    IReadOnlyList<Workload> Endorsements,
    string ReferralContact,
    string TimeZone,
    string FpmEmail,
    DateTimeOffset? LastAssignedAt,
    DateTimeOffset? PausedUntil,
    bool CapacityDeclineUsed)
{
    public static PartnerView From(PartnerProfile partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        return new(
            partner.Id, partner.Name, partner.Fpc, partner.Frp, partner.ReferralReady, partner.BenefitReferrals,
            partner.HomeCountry, [.. partner.Countries.Order(StringComparer.Ordinal)],
            [.. partner.Languages.Order(StringComparer.Ordinal)], [.. partner.Industries.Order()], partner.MinSeats,
            partner.MaxSeats, [.. partner.Endorsements.Order()], partner.ReferralContact, partner.TimeZone,
            partner.FpmEmail, partner.LastAssignedAt, partner.PausedUntil, partner.CapacityDeclineUsed);
    }
}
