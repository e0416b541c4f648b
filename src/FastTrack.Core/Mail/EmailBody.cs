using System.Globalization;
using System.Net;
using System.Text;

namespace FastTrack.Core.Mail;

/// <summary>
/// Builds an email's HTML and its plain-text version side by side, under a coloured banner, encoding every value in
/// the HTML (links too, since they are attribute values).
/// </summary>
internal sealed class EmailBody
{
    private readonly StringBuilder _html = new();
    private readonly StringBuilder _text = new();

    public EmailBody(string bannerLabel, string bannerColor)
    {
        _html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html><html><body style="font-family:Segoe UI,Arial,sans-serif;margin:0">
            <div class="banner" style="background:{bannerColor};color:#ffffff;padding:16px 24px;font-size:20px">{Encode(bannerLabel)}</div>
            <div style="padding:16px 24px">
            """);
        _text.Append(CultureInfo.InvariantCulture, $"[{bannerLabel}]\n\n");
    }

    public EmailBody Paragraph(string text)
    {
        _html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(text)}</p>");
        _text.Append(text).Append("\n\n");
        return this;
    }

    public EmailBody Facts(IEnumerable<(string Label, string Value)> facts)
    {
        _html.Append("<table style=\"border-collapse:collapse\">");
        foreach (var (label, value) in facts)
        {
            _html.Append(CultureInfo.InvariantCulture,
                $"<tr><th style=\"text-align:left;padding:4px 16px 4px 0\">{Encode(label)}</th><td style=\"padding:4px 0\">{Encode(value)}</td></tr>");
            _text.Append(CultureInfo.InvariantCulture, $"{label}: {value}\n");
        }

        _html.Append("</table>");
        _text.Append('\n');
        return this;
    }

    public EmailBody Link(string label, string url)
    {
        _html.Append(CultureInfo.InvariantCulture,
            $"<p><a href=\"{Encode(url)}\" style=\"display:inline-block;padding:10px 20px;background:#333333;color:#ffffff;text-decoration:none\">{Encode(label)}</a></p>");
        _text.Append(CultureInfo.InvariantCulture, $"{label}: {url}\n\n");
        return this;
    }

    public OutgoingMail ToMail(string id, IReadOnlyList<string> to, IReadOnlyList<string> cc, string subject) =>
        new(id, to, cc, subject, _html + "</div></body></html>", _text.ToString().TrimEnd() + "\n");

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
