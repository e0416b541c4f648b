using System.Globalization;
using System.Net;
using System.Text;

namespace FastTrack.DevHost.DevTools;

/// <summary>Development only: the mail the local Graph endpoint received, as JSON and as a page, and fault injection.</summary>
public static class DevMailboxApi
{
    public const string PagePath = "/_dev/mailbox";

    public static IEndpointRouteBuilder MapDevMailbox(this IEndpointRouteBuilder endpoints)
    {
        var dev = endpoints.MapGroup("/api/_dev/mailbox").WithTags("Development").ExcludeFromDescription();
        dev.MapGet(string.Empty, ListAsync)
            .WithSummary("Every email sent, newest last, with the absolute links in each.");
        dev.MapPost("/faults", InjectFault)
            .WithSummary("Makes the next count sendMail calls fail: { \"status\": 429, \"retryAfterSeconds\": 1, \"count\": 4 }.");
        endpoints.MapGet(PagePath, PageAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> ListAsync(DevMailbox mailbox, CancellationToken cancellationToken) =>
        Results.Ok(await mailbox.ListAsync(cancellationToken));

    private static IResult InjectFault(MailFault fault, DevGraphEndpoint endpoint)
    {
        var errors = new Dictionary<string, string[]>();
        if (fault.Status is < 400 or > 599)
        {
            errors["status"] = ["An HTTP error status, 400 to 599 (Graph throttles with 429 and 503)."];
        }

        if (fault.RetryAfterSeconds < 0)
        {
            errors["retryAfterSeconds"] = ["0 or more."];
        }

        if (fault.Count < 0)
        {
            errors["count"] = ["0 or more; 0 clears a pending fault."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        endpoint.InjectFault(fault);
        return Results.Ok(fault);
    }

    /// <summary>
    /// Each mail's HTML is shown in a sandboxed iframe (no scripts, no same origin), so a hostile value that a template
    /// failed to encode shows as what it is without running here; its links are listed as plain anchors below it.
    /// </summary>
    private static async Task<IResult> PageAsync(DevMailbox mailbox, CancellationToken cancellationToken)
    {
        var mails = await mailbox.ListAsync(cancellationToken);
        var page = new StringBuilder("""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Mailbox (Development)</title>
            <style>body{font-family:sans-serif;margin:2rem}article{border:1px solid #ccc;margin:1rem 0;padding:1rem}
            iframe{width:100%;height:28rem;border:1px solid #eee}dt{font-weight:bold}</style></head>
            <body>
            <h1>Mailbox</h1>
            <p>Every email the app sent through its local Graph endpoint, newest first. <a href="/">Index</a></p>
            """);
        if (mails.Count == 0)
        {
            page.Append("<p>No mail yet.</p>");
        }

        foreach (var mail in mails.Reverse())
        {
            page.Append(CultureInfo.InvariantCulture, $"""
                <article>
                <h2>{Encode(mail.Subject)}</h2>
                <dl><dt>Sent</dt><dd>{mail.SentAt:u}</dd><dt>From</dt><dd>{Encode(mail.From)}</dd>
                <dt>To</dt><dd>{Encode(string.Join(", ", mail.To))}</dd><dt>Cc</dt><dd>{Encode(string.Join(", ", mail.Cc))}</dd>
                <dt>Id</dt><dd>{Encode(mail.Id)}</dd></dl>
                <iframe sandbox title="{Encode(mail.Subject)}" srcdoc="{Encode(mail.Html)}"></iframe>
                <ul>
                """);
            foreach (var link in mail.Links)
            {
                page.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{Encode(link)}\">{Encode(link)}</a></li>");
            }

            page.Append("</ul></article>");
        }

        page.Append("</body></html>");
        return Results.Content(page.ToString(), "text/html; charset=utf-8");
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
