using FastTrack.Domain.Partners;

namespace FastTrack.Domain.Matching;

/// <summary>
/// A snapshot of all partner profiles, indexed once by (country, language) served, so matching one RFA looks only at
/// the partners that could serve that customer at all instead of every partner (see bench/README.md).
/// </summary>
public sealed class PartnerDirectory
{
    private static readonly List<Listing> Nobody = [];
    private readonly Dictionary<string, PartnerProfile> byId;
    private readonly Dictionary<(string Country, string Language), List<Listing>> byCountryAndLanguage = [];

    public PartnerDirectory(IEnumerable<PartnerProfile> partners)
    {
        ArgumentNullException.ThrowIfNull(partners);
        byId = partners.ToDictionary(p => p.Id, StringComparer.Ordinal);
        foreach (var partner in byId.Values)
        {
            var listing = new Listing(partner, WorkloadMask.Of(partner.Endorsements));
            foreach (var country in partner.Countries.Append(partner.HomeCountry).Distinct(StringComparer.Ordinal))
            {
                foreach (var language in partner.Languages)
                {
                    if (!byCountryAndLanguage.TryGetValue((country, language), out var serving))
                    {
                        serving = [];
                        byCountryAndLanguage[(country, language)] = serving;
                    }

                    serving.Add(listing);
                }
            }
        }
    }

    public int Count => byId.Count;

    public IEnumerable<PartnerProfile> All => byId.Values;

    public PartnerProfile? Find(string partnerId) => byId.GetValueOrDefault(partnerId);

    /// <summary>The partners serving both the country and the language; everyone else is ineligible on those two alone.</summary>
    internal List<Listing> Serving(string country, string language) =>
        byCountryAndLanguage.TryGetValue((country, language), out var serving) ? serving : Nobody;

    /// <summary>A partner with its endorsements as a bit mask, computed once rather than on every match.</summary>
    internal readonly record struct Listing(PartnerProfile Partner, int Endorsements);
}
