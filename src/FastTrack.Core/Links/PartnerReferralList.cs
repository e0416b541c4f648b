using FastTrack.Core.Http;
using FastTrack.Core.Partners;
using FastTrack.Core.Referrals;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Links;

/// <summary>
/// The page a "Your referrals" link opens (API.md "Partner links"): the partner's referrals newest first, 50 a page,
/// read through the referral lists' index (<see cref="ReferralIndex"/>), each row with a freshly signed link to that
/// referral's own page for the offer or engagement the partner holds now. It shows what the partner's emails showed
/// before acceptance and no more: never the customer's contact.
/// </summary>
public sealed class PartnerReferralList(
    ReferralIndex index, ReferralStore referrals, PartnerStore partners, PartnerLinks links, TimeProvider clock)
{
    public const int PageSize = 50;

    /// <summary>The query parameter of the next page's position (the page links to itself with it).</summary>
    public const string AfterParameter = "after";

    public async Task<IResult> ShowAsync(HttpRequest request, PartnerListLinkClaims claims, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(claims);
        string? after = null;
        if (request.Query.TryGetValue(AfterParameter, out var given) &&
            (given.Count != 1 || (after = ContinuationTokens.Read(given[0] ?? "", ReferralIndex.IsPosition)) is null))
        {
            return LinkResponses.Result(request, LinkResult.NotFound());
        }

        // A partner removed since the email was sent names nothing any more.
        if (await partners.GetAsync(claims.PartnerId, cancellationToken) is not { } partner)
        {
            return LinkResponses.Result(request, LinkResult.NotFound());
        }

        var now = clock.GetUtcNow();
        var page = await index.PageAsync(
            new ReferralQuery(null, partner.Id, Overdue: false, CreatedFrom: null, CreatedTo: null, PageSize, after), now, cancellationToken);
        // Side by side, as the index reads the page's referrals: an accepted part's row reads its referral's history.
        var rows = await Task.WhenAll(page.Items.SelectMany(listed => listed.Referral.Parts
            .Where(part => part.PartnerId == partner.Id)
            .Select(part => RowAsync(listed, part, partner.Id, now, cancellationToken))));

        var older = ContinuationTokens.Create(page.After) is { } token ? $"?{AfterParameter}={token}" : null;
        return LinkResponses.Page(new PartnerReferralsView(partner.Name, partner.TimeZone, now, rows, FirstPage: after is null, older));
    }

    private async Task<PartnerReferralRow> RowAsync(
        IndexedReferral listed, AssignmentPart part, string partnerId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var referral = listed.Referral;
        DateTimeOffset? acceptedAt = null;
        if (part.Status is PartStatus.Active or PartStatus.Completed)
        {
            acceptedAt = (await referrals.HistoryAsync(referral.Id, cancellationToken))
                .LastOrDefault(entry => entry.Kind == HistoryKind.Accepted && entry.PartId == part.Id && entry.PartnerId == partnerId)?.At;
        }

        var link = part.Status == PartStatus.Offered && part.DueAt is { } dueAt
            ? links.Respond(referral.Id, part.Id, part.Attempt, partnerId, dueAt)
            : links.Engagement(referral.Id, part.Id, part.Attempt, partnerId, acceptedAt ?? now);
        return new PartnerReferralRow(
            referral.Type,
            referral.Request.Customer.Name,
            [.. part.Workloads.Order()],
            part.Status,
            listed.CreatedAt,
            part.Status == PartStatus.Offered ? part.DueAt : null,
            acceptedAt,
            part.Completion?.CompletedAt,
            link);
    }
}

/// <summary>What the partner's referral list page shows; times are shown in <paramref name="TimeZone"/>.</summary>
public sealed record PartnerReferralsView(
    string PartnerName, string TimeZone, DateTimeOffset Now, IReadOnlyList<PartnerReferralRow> Rows, bool FirstPage, string? OlderHref);

/// <summary>One of the partner's assignment parts, as the list shows it.</summary>
public sealed record PartnerReferralRow(
    ReferralType Type,
    string CustomerName,
    IReadOnlyList<Workload> Workloads,
    PartStatus State,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? RespondBy,
    DateTimeOffset? AcceptedAt,
    DateTimeOffset? CompletedAt,
    Uri Link);
