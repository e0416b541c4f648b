using System.Text.Json;
using System.Text.Json.Serialization;
using FastTrack.Domain.Referrals;
using FastTrack.Domain.Vouchers;
using Microsoft.Net.Http.Headers;

namespace FastTrack.Core.Links;

/// <summary>
/// Answers for <c>/api/links/{token}</c>: the pages as HTML, or the API.md JSON body when the caller asks for
/// <c>application/json</c>. Every answer is marked not to be cached or framed: it belongs to one partner's link.
/// </summary>
public static class LinkResponses
{
    /// <summary>No script may run and forms may only post back to us; inline styles are the page's only resource.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    /// <summary>The GET page of a valid assignment link.</summary>
    public static IResult Page(AssignmentSummary summary) =>
        new LinkHttpResult(Results.Content(LinkPages.Assignment(summary), "text/html; charset=utf-8", statusCode: StatusCodes.Status200OK));

    /// <summary>The GET page of a valid "Your referrals" link.</summary>
    public static IResult Page(PartnerReferralsView view) =>
        new LinkHttpResult(Results.Content(LinkPages.PartnerReferrals(view), "text/html; charset=utf-8", statusCode: StatusCodes.Status200OK));

    /// <summary>The GET page of a valid voucher link.</summary>
    public static IResult Page(Voucher voucher, string? customerName) =>
        new LinkHttpResult(Results.Content(LinkPages.Voucher(voucher, customerName), "text/html; charset=utf-8", statusCode: StatusCodes.Status200OK));

    /// <summary>
    /// A result or error, as a page, or as <c>{ outcome, message, referralStatus }</c> (plus <c>errors</c> for form
    /// problems, and <c>voucherStatus</c> for a voucher link) to a JSON caller.
    /// </summary>
    public static IResult Result(HttpRequest request, LinkResult result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var inner = WantsJson(request)
            ? Results.Json(new LinkResultBody(result.Outcome, result.Message, result.ReferralStatus, result.Errors, result.VoucherStatus), Json, statusCode: result.StatusCode)
            : Results.Content(LinkPages.Result(result), "text/html; charset=utf-8", statusCode: result.StatusCode);
        return new LinkHttpResult(inner);
    }

    /// <summary>True when the Accept header prefers JSON to HTML (a browser's <c>text/html,…,*/*</c> does not).</summary>
    public static bool WantsJson(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.GetTypedHeaders().Accept;
        double Quality(Func<MediaTypeHeaderValue, bool> matches) =>
            accept.Where(matches).Select(value => value.Quality ?? 1).DefaultIfEmpty(0).Max();
        var json = Quality(value => value.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
                                    value.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        var html = Quality(value => value.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
        return json > 0 && json >= html;
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed record LinkResultBody(
        LinkOutcome Outcome,
        string Message,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] ReferralStatus? ReferralStatus,
        IReadOnlyDictionary<string, string[]>? Errors,
        VoucherStatus? VoucherStatus);

    /// <summary>Adds the headers every link answer carries, then lets the inner result write the body.</summary>
    private sealed class LinkHttpResult(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            var headers = httpContext.Response.Headers;
            headers.CacheControl = "no-store";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["X-Robots-Tag"] = "noindex, nofollow";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
