using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using FastTrack.Domain.Catalog;
using FastTrack.Domain;
using FastTrack.Domain.Referrals;
using FastTrack.Domain.Vouchers;

namespace FastTrack.Core.Links;

/// <summary>
/// The HTML pages partners see when they open a link: pure functions of their model, every value HTML-encoded.
/// Mail scanners open every link, so the pages carry no script at all: only a button press (a form POST) acts.
/// Forms have no <c>action</c> attribute, so they post back to the very URL the page was opened at.
/// </summary>
public static class LinkPages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The decline reasons as SPEC §6 words them. Refused ones are listed too: the workflow answers them with the documented text.</summary>
    private static readonly Dictionary<DeclineReason, string> DeclineReasonNames = new()
    {
        [DeclineReason.CustomerWorkingWithAnotherPartner] = "The customer is already working with another FastTrack Ready Partner",
        [DeclineReason.CustomerUnresponsive] = "The customer is unresponsive",
        [DeclineReason.CustomerLegalOrPolitical] = "The customer cannot work with a partner for legal or political reasons",
        [DeclineReason.CustomerTypeNotSupported] = "We do not support this customer type (Government / Education)",
        [DeclineReason.LanguageNotSupported] = "We do not support the requested language",
        [DeclineReason.CannotDeliverBenefit] = "We cannot deliver the FastTrack Benefit (notes required)",
        [DeclineReason.PartnerAtCapacity] = "We are at capacity",
        [DeclineReason.Other] = "Other (notes required)",
        [DeclineReason.CustomerPrefersFastTrackCenter] = "The customer prefers to work with the FastTrack Center",
        [DeclineReason.AccountTeamDeclinesPartner] = "The account team does not wish to work with a partner",
    };

    /// <summary>The page a valid assignment link opens: the summary and a form per action the link and the part's state allow.</summary>
    public static string Assignment(AssignmentSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(summary.Title)}</h1>\n<dl>\n");
        Row(body, "Referral type", summary.Type == ReferralType.Benefit ? "FastTrack Benefit (delivered at no cost to the customer)" : "Standard");
        Row(body, "Customer", summary.CustomerName);
        Row(body, "Country", summary.CustomerCountry);
        Row(body, "Segment", summary.CustomerSegment == Segment.NonProfit ? "Non-profit" : summary.CustomerSegment.ToString());
        Row(body, "Seats", summary.Seats.ToString("N0", CultureInfo.InvariantCulture));
        Row(body, "Workloads", string.Join(", ", summary.Workloads.Select(w => w.DisplayName())));
        Row(body, "State", StateText(summary.PartStatus));
        if (summary.PartStatus == PartStatus.Offered && summary.DueAt is { } dueAt)
        {
            Row(body, "Respond by", InZone(dueAt, summary.PartnerTimeZone));
        }

        body.Append("</dl>\n");
        var actions = LinkAction.Offered(summary.Purpose, summary.PartStatus);
        if (actions.Count == 0)
        {
            body.Append("<p>There is nothing more to do through this link.</p>\n");
        }

        foreach (var action in actions)
        {
            body.Append(action switch
            {
                LinkAction.AcceptName => AcceptForm,
                LinkAction.CompleteName => CompleteForm,
                _ => DeclineForm(summary.PartStatus),
            });
        }

        return Layout(summary.Title, summary.Type, body.ToString());
    }

    /// <summary>
    /// The page a voucher link opens: the voucher, its redemptions and, while it can still be redeemed, the SOW / POE
    /// upload form. A browser form cannot send the <c>x-link-token</c> header, so the form posts (multipart, the fields
    /// of <c>POST /api/vouchers/{id}/redemptions</c>) back to the link's own URL.
    /// </summary>
    public static string Voucher(Voucher voucher, string? customerName)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        var title = $"Customer Success Offer voucher{(string.IsNullOrEmpty(customerName) ? "" : $": {customerName}")}";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(title)}</h1>\n<dl>\n");
        Row(body, "Voucher", voucher.Id);
        Row(body, "Customer TPID", voucher.Tpid);
        Row(body, "Tier", $"{voucher.Tier}: up to USD {voucher.CapUsd.ToString("N0", CultureInfo.InvariantCulture)}");
        Row(body, "Users payable at most", voucher.MaxUsers.ToString("N0", CultureInfo.InvariantCulture));
        Row(body, "Issued", voucher.IssuedAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture));
        Row(body, "Expires", $"{voucher.ExpiresOn.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} (SOW and POE must both be approved by then)");
        Row(body, "Status", voucher.Status.ToString());
        if (voucher.Payout is { } payout)
        {
            Row(body, "Payout", $"USD {payout.AmountUsd.ToString("N2", CultureInfo.InvariantCulture)} for {payout.Users.ToString("N0", CultureInfo.InvariantCulture)} users, due {payout.DueOn.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}");
        }

        body.Append("</dl>\n");
        if (voucher.Redemptions.Count > 0)
        {
            body.Append("<h2>Redemptions</h2>\n<table>\n<tr><th>Document</th><th>Kind</th><th>Submitted</th><th>Status</th><th>Reason</th></tr>\n");
            foreach (var redemption in voucher.Redemptions)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(redemption.Document.Name)}</td><td>{E(redemption.Kind.ToString().ToUpperInvariant())}</td><td>{E(redemption.SubmittedAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture))}</td><td>{E(redemption.Status.ToString())}</td><td>{E(redemption.Reason ?? "")}</td></tr>\n");
            }

            body.Append("</table>\n");
        }

        body.Append(voucher.Status is VoucherStatus.Issued or VoucherStatus.Redeeming
            ? UploadForm
            : "<p>There is nothing more to do through this link.</p>\n");
        return Layout(title, null, body.ToString());
    }

    /// <summary>
    /// The page a "Your referrals" link opens: one card per assignment part, newest referral first, each with the
    /// referral's type in the emails' colours and a link to its own page. Cards rather than a table, so a phone shows
    /// them without sideways scrolling. Links to older pages carry the position in the query; they change nothing.
    /// </summary>
    public static string PartnerReferrals(PartnerReferralsView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var title = $"Your referrals: {view.PartnerName}";
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(title)}</h1>\n");
        if (view.Rows.Count == 0)
        {
            body.Append(view.FirstPage ? "<p>You hold no referrals at the moment.</p>\n" : "<p>There are no older referrals.</p>\n");
        }

        body.Append("<ol class=\"referrals\">\n");
        foreach (var row in view.Rows)
        {
            var (kind, label) = row.Type == ReferralType.Benefit ? ("benefit", "FastTrack Benefit") : ("standard", "Standard");
            body.Append(CultureInfo.InvariantCulture, $"<li class=\"referral {kind}\">\n<h2>{E(row.CustomerName)}</h2>\n<dl>\n");
            Row(body, "Type", label);
            Row(body, "Workloads", string.Join(", ", row.Workloads.Select(w => w.DisplayName())));
            Row(body, "State", ListStateText(row.State));
            Row(body, "Received", InZone(row.ReceivedAt, view.TimeZone));
            if (row.RespondBy is { } respondBy)
            {
                Row(body, "Respond by", $"{InZone(respondBy, view.TimeZone)}: {TimeLeft(respondBy - view.Now)}");
            }

            if (row.AcceptedAt is { } acceptedAt)
            {
                Row(body, "Accepted", InZone(acceptedAt, view.TimeZone));
            }

            if (row.CompletedAt is { } completedAt)
            {
                Row(body, "Completed", InZone(completedAt, view.TimeZone));
            }

            var action = row.State switch
            {
                PartStatus.Offered => "Accept or decline",
                PartStatus.Active => "Complete or decline",
                _ => "Open",
            };
            body.Append(CultureInfo.InvariantCulture,
                $"</dl>\n<p><a class=\"open\" href=\"{E(row.Link.AbsoluteUri)}\">{E(action)}: {E(row.CustomerName)}</a></p>\n</li>\n");
        }

        body.Append("</ol>\n");
        if (view.OlderHref is { } older)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p><a href=\"{E(older)}\">Older referrals</a></p>\n");
        }

        if (!view.FirstPage)
        {
            // An empty query is this link's first page.
            body.Append("<p><a href=\"?\">Newest referrals</a></p>\n");
        }

        return Layout(title, null, body.ToString());
    }

    /// <summary>The page answering a POST, or a link that cannot act (invalid, expired, superseded): it says plainly whether anything changed.</summary>
    public static string Result(LinkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var heading = result.Page switch
        {
            LinkResultPage.Invalid => "This link is not valid",
            LinkResultPage.Expired => "This link has expired",
            LinkResultPage.Superseded => "This link has been superseded",
            LinkResultPage.FormProblems => "Please correct the form",
            _ => result.Outcome switch
            {
                LinkOutcome.Accepted => "Referral accepted",
                LinkOutcome.Declined => "Referral declined",
                LinkOutcome.Completed => "Engagement marked complete",
                LinkOutcome.AlreadyDone => "Already done",
                LinkOutcome.Received => "Document received",
                _ => "Your request was not accepted",
            },
        };
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>{E(heading)}</h1>\n<p class=\"message\">{E(result.Message)}</p>\n");
        if (result.Errors is { Count: > 0 } errors)
        {
            body.Append("<ul class=\"problems\">\n");
            foreach (var message in errors.Values.SelectMany(messages => messages))
            {
                body.Append(CultureInfo.InvariantCulture, $"<li>{E(message)}</li>\n");
            }

            body.Append("</ul>\n");
        }

        if (!result.ChangedSomething)
        {
            body.Append("<p class=\"unchanged\"><strong>Nothing was changed.</strong></p>\n");
        }

        body.Append(result.Page switch
        {
            LinkResultPage.Invalid => "<p>Open the link from the email again, making sure it is complete.</p>\n",
            LinkResultPage.Expired or LinkResultPage.Superseded =>
                "<p>If you still need to act on this referral, contact the FastTrack referral processing team.</p>\n",
            _ => "",
        });
        if (result.ReferralStatus is { } status)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>Referral status: <strong>{E(status.ToString())}</strong></p>\n");
        }

        if (result.VoucherStatus is { } voucherStatus)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>Voucher status: <strong>{E(voucherStatus.ToString())}</strong></p>\n");
        }

        if (result.Page is LinkResultPage.Result or LinkResultPage.FormProblems)
        {
            // An empty href is this same URL: a GET, which shows the current state and changes nothing.
            body.Append(result.VoucherStatus is null ? "<p><a href=\"\">Back to the referral</a></p>\n" : "<p><a href=\"\">Back to the voucher</a></p>\n");
        }

        return Layout(heading, null, body.ToString());
    }

    private static string ListStateText(PartStatus status) => status switch
    {
        PartStatus.Offered => "Offered to you, waiting for your answer",
        PartStatus.Active => "Accepted: the engagement is under way",
        PartStatus.Completed => "Engagement complete",
        _ => "No longer assigned to you",
    };

    /// <summary>How long is left before a deadline, in whole days, hours or minutes, as a person says it.</summary>
    private static string TimeLeft(TimeSpan left)
    {
        if (left <= TimeSpan.Zero)
        {
            return "the deadline has passed";
        }

        static string Count(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n.ToString(CultureInfo.InvariantCulture)} {unit}s";
        return left.TotalHours >= 24 ? $"{Count(left.Days, "day")} {Count(left.Hours, "hour")} left"
            : left.TotalMinutes >= 60 ? $"{Count((int)left.TotalHours, "hour")} {Count(left.Minutes, "minute")} left"
            : $"{Count(Math.Max(1, (int)left.TotalMinutes), "minute")} left";
    }

    private static string StateText(PartStatus status) => status switch
    {
        PartStatus.Offered => "Offered to you, waiting for your answer",
        PartStatus.Active => "Accepted by you: the engagement is under way",
        PartStatus.Completed => "Engagement complete",
        _ => "No longer assigned to a partner",
    };

    /// <summary>The SLA counts in the partner's zone (SPEC §8), so the deadline is shown there, with the zone named.</summary>
    private static string InZone(DateTimeOffset at, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return local.ToString("dddd d MMMM yyyy, HH:mm", CultureInfo.InvariantCulture) + $" ({(ReferenceEquals(zone, TimeZoneInfo.Utc) ? "UTC" : timeZone)})";
    }

    private const string AcceptForm = """
        <form method="post" class="action">
          <input type="hidden" name="action" value="accept">
          <button type="submit">Accept this referral</button>
        </form>

        """;

    private static readonly string CompleteForm = $"""
        <form method="post" class="action">
          <h2>Mark the engagement complete</h2>
          <input type="hidden" name="action" value="complete">
          <fieldset>
            <legend>Value-added services sold?</legend>
            <label><input type="radio" name="valueAddedServicesSold" value="true" required> Yes</label>
            <label><input type="radio" name="valueAddedServicesSold" value="false"> No</label>
          </fieldset>
          <label>Estimated value <input type="number" name="estimatedValue" min="0" step="0.01" required></label>
          <label>Currency <input type="text" name="currency" value="USD" maxlength="3" pattern="[A-Za-z]{"{3}"}" required></label>
          <label>Notes for Microsoft <textarea name="notes" maxlength="{LinkAction.MaxNotesLength}"></textarea></label>
          <button type="submit">Mark complete</button>
        </form>

        """;

    private static readonly string UploadForm = $"""
        <form method="post" enctype="multipart/form-data" class="action">
          <h2>Submit a signed document</h2>
          <label>Document <select name="kind" required>
            <option value="sow">Statement of Work (SOW)</option>
            <option value="poe">Proof of Execution (POE)</option>
          </select></label>
          <label>Template id <input type="text" name="templateId" required placeholder="{ProgramRules.DefaultSowTemplateId} or {ProgramRules.DefaultPoeTemplateId}"></label>
          <label><input type="checkbox" name="signedByCustomer" value="true"> Signed by the customer</label>
          <label><input type="checkbox" name="signedByPartner" value="true"> Signed by the partner</label>
          <label><input type="checkbox" name="ecifFunded" value="true"> The SOW declares ECIF funding</label>
          <label>Users deployed (POE) <input type="number" name="usersDeployed" min="0" step="1"></label>
          <fieldset>
            <legend>Workloads deployed (POE)</legend>
        {string.Concat(ProgramRules.VoucherWorkloads.Order().Select(w => $"    <label><input type=\"checkbox\" name=\"workloads\" value=\"{w}\"> {w.DisplayName()}</label>\n"))}  </fieldset>
          <label>Signed PDF <input type="file" name="file" accept="application/pdf" required></label>
          <button type="submit">Submit</button>
        </form>

        """;

    private static string DeclineForm(PartStatus status)
    {
        var form = new StringBuilder();
        form.Append("<form method=\"post\" class=\"action\">\n  <h2>")
            .Append(status == PartStatus.Active ? "Decline after all" : "Decline")
            .Append("</h2>\n  <input type=\"hidden\" name=\"action\" value=\"decline\">\n")
            .Append("  <label>Reason <select name=\"reason\" required>\n    <option value=\"\">Choose a reason…</option>\n");
        foreach (var (reason, text) in DeclineReasonNames)
        {
            form.Append(CultureInfo.InvariantCulture, $"    <option value=\"{E(reason.ToString())}\">{E(text)}</option>\n");
        }

        form.Append(CultureInfo.InvariantCulture, $"  </select></label>\n  <label>Notes <textarea name=\"notes\" maxlength=\"{LinkAction.MaxNotesLength}\"></textarea></label>\n")
            .Append("  <button type=\"submit\">Decline this referral</button>\n</form>\n");
        return form.ToString();
    }

    private static void Row(StringBuilder body, string name, string value) =>
        body.Append(CultureInfo.InvariantCulture, $"<dt>{E(name)}</dt><dd>{E(value)}</dd>\n");

    private static string E(string value) => Html.Encode(value);

    /// <summary>
    /// The page frame. Benefit referrals get a blue banner and Standard ones a green one, as in the emails (SPEC §6).
    /// The page forbids being framed and sends no referrer, so the token in its URL does not leak to other sites.
    /// </summary>
    private static string Layout(string title, ReferralType? type, string body)
    {
        var banner = type switch
        {
            ReferralType.Benefit => "<header class=\"banner benefit\">FastTrack Benefit referral</header>\n",
            ReferralType.Standard => "<header class=\"banner standard\">FastTrack referral</header>\n",
            _ => "<header class=\"banner\">FastTrack referrals</header>\n",
        };
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex, nofollow">
            <meta name="referrer" content="no-referrer">
            <title>{{E(title)}}</title>
            <style>
            body { font-family: "Segoe UI", system-ui, sans-serif; margin: 0; color: #1b1b1b; }
            main { max-width: 42rem; margin: 1.5rem auto; padding: 0 1rem; }
            .banner { padding: .75rem 1rem; color: #fff; background: #505050; font-weight: 600; }
            .banner.benefit { background: #0f6cbd; }
            .banner.standard { background: #107c10; }
            dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
            dt { font-weight: 600; }
            dd { margin: 0; }
            table { border-collapse: collapse; } th, td { text-align: left; padding: .25rem .75rem .25rem 0; }
            ol.referrals { list-style: none; padding: 0; display: grid; gap: 1rem; }
            li.referral { border: 1px solid #d1d1d1; border-left: .5rem solid #505050; padding: .5rem 1rem; }
            li.referral.benefit { border-left-color: #0f6cbd; }
            li.referral.standard { border-left-color: #107c10; }
            li.referral h2 { margin: .25rem 0; font-size: 1.15rem; }
            a.open { display: inline-block; padding: .5rem 1rem; background: #333; color: #fff; text-decoration: none; }
            form.action { border-top: 1px solid #d1d1d1; padding: 1rem 0; display: grid; gap: .5rem; }
            label { display: grid; gap: .25rem; }
            fieldset label { display: inline; margin-right: 1rem; }
            button { justify-self: start; padding: .5rem 1.25rem; font-size: 1rem; }
            .unchanged, .problems { color: #a4262c; }
            </style>
            </head>
            <body>
            {{banner}}<main>
            {{body}}</main>
            </body>
            </html>

            """;
    }
}
