using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.Domain;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Mail;

namespace FastTrack.Core.Referrals;

/// <summary>A well-formed RFA (API.md "Referrals"), before the program decides whether it can take it.</summary>
public sealed record Rfa(
    string SubmissionId,
    ReferralType Type,
    Requestor Requestor,
    Customer Customer,
    IReadOnlySet<Workload> Workloads,
    CustomerContact Contact,
    string? Notes,
    DateOnly? EngagementStartDate);

/// <summary>
/// Reads an RFA from JSON, or from a form whose field names are the JSON paths (<c>customer.seats</c>, repeated or
/// comma-separated <c>workloads</c>), and reports every problem at once, keyed by that path. The fields are read
/// strictly typed by <see cref="JsonFields"/>, as the operations APIs read theirs; the form's text is typed where it
/// enters, in <see cref="FromForm"/>.
/// </summary>
public static class RfaParser
{
    private const int MaxText = 200;
    private const int MaxNotes = 4000;

    public static (Rfa? Rfa, Dictionary<string, string[]> Errors) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, new() { [""] = ["The body must be a JSON object or a form."] });
        }

        var fields = JsonFields.Of(body);
        var submissionId = Id(fields, "submissionId");
        var type = fields.Enum<ReferralType>("type");
        var requestorFields = fields.Section("requestor");
        var requestor = new Requestor(
            Text(requestorFields, "name"), Email(requestorFields, "email"), requestorFields.Boolean("isMicrosoft", required: false) ?? false);
        var customerFields = fields.Section("customer");
        var customer = new Customer(
            Id(customerFields, "tenantId"),
            Text(customerFields, "tpid", max: 100),
            Text(customerFields, "name"),
            Code(customerFields, "country", JsonFields.Country, JsonFields.IsCountryCode, "an ISO 3166-1 alpha-2 country code such as US"),
            Code(customerFields, "language", JsonFields.Language, JsonFields.IsLanguageCode, "an ISO 639-1 language code such as en"),
            customerFields.Enum<Segment>("segment") ?? default,
            Seats(customerFields));
        var workloads = Workloads(fields);
        var contactFields = fields.Section("contact");
        var contact = new CustomerContact(
            Text(contactFields, "name"), Email(contactFields, "email"), OptionalText(contactFields, "phone", MaxText));
        var notes = OptionalText(fields, "notes", MaxNotes);
        var start = Date(fields, "engagementStartDate");

        return fields.HasProblems
            ? (null, PerField(fields.Problems()))
            : (new Rfa(submissionId, type ?? default, requestor, customer, workloads, contact, notes, start), []);
    }

    /// <summary>
    /// The same JSON as the body would be, built from form fields named by their JSON paths: seats a number and
    /// <c>isMicrosoft</c> a boolean (a checkbox's "on", or "true" / "false" from a select) when the text converts,
    /// workloads an array. Text that does not convert stays text, for <see cref="Parse"/> to report.
    /// </summary>
    public static JsonElement FromForm(IFormCollection form)
    {
        var root = new JsonObject();
        foreach (var (key, values) in form)
        {
            var path = key.Split('.');
            var parent = root;
            foreach (var segment in path[..^1])
            {
                parent = parent[segment] as JsonObject ?? (JsonObject)(parent[segment] = new JsonObject());
            }

            parent[path[^1]] = key switch
            {
                "workloads" => new JsonArray([.. values
                    .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(v => (JsonNode?)v)]),
                "customer.seats" when int.TryParse(values, NumberStyles.None, CultureInfo.InvariantCulture, out var seats) => seats,
                "requestor.isMicrosoft" when Flag(values.ToString()) is { } flag => flag,
                _ => values.ToString(),
            };
        }

        return JsonSerializer.SerializeToElement(root);
    }

    private static bool? Flag(string text) => text.Trim().ToLowerInvariant() switch
    {
        "true" or "on" or "yes" => true,
        "false" or "off" or "no" or "" => false,
        _ => null,
    };

    /// <summary>Required text, trimmed; blank is missing. Empty when it has a problem (the RFA is then not built).</summary>
    private static string Text(JsonFields fields, string name, int max = MaxText)
    {
        var text = fields.String(name)?.Trim();
        if (text is "")
        {
            fields.Problem(name, "Required.");
        }

        return Limited(fields, name, text, max) ?? string.Empty;
    }

    /// <summary>A required id that becomes part of a storage key, trimmed as text is; it must keep <see cref="IdRule"/>.</summary>
    private static string Id(JsonFields fields, string name) => fields.CheckId(name, fields.String(name)?.Trim()) ?? string.Empty;

    private static string? OptionalText(JsonFields fields, string name, int max) =>
        Limited(fields, name, fields.String(name, required: false)?.Trim() is { Length: > 0 } text ? text : null, max);

    private static string? Limited(JsonFields fields, string name, string? text, int max)
    {
        if (text?.Length > max)
        {
            fields.Problem(name, $"At most {max} characters.");
        }

        return text;
    }

    private static string Email(JsonFields fields, string name)
    {
        var email = Text(fields, name);
        if (email.Length > 0 && (email.IndexOf('@', StringComparison.Ordinal) is var at && (at < 1 || at == email.Length - 1 || email.Contains(' ', StringComparison.Ordinal))))
        {
            fields.Problem(name, "Not an email address.");
        }

        return email;
    }

    /// <summary>A two-letter code in the case the domain wants it (<see cref="JsonFields.Country"/>).</summary>
    private static string Code(JsonFields fields, string name, Func<string, string> normalise, Func<string, bool> isCode, string what)
    {
        var code = normalise(Text(fields, name));
        if (code.Length > 0 && !isCode(code))
        {
            fields.Problem(name, $"Must be {what}.");
        }

        return code;
    }

    private static int Seats(JsonFields fields)
    {
        var seats = fields.Int32("seats");
        if (seats < 1)
        {
            fields.Problem("seats", "Must be a whole number of at least 1.");
        }

        return seats ?? 0;
    }

    private static IReadOnlySet<Workload> Workloads(JsonFields fields)
    {
        var workloads = fields.Enums<Workload>("workloads");
        if (workloads is { Count: 0 })
        {
            fields.Problem("workloads", "Must be a list with at least one entry.");
        }

        return workloads ?? new HashSet<Workload>();
    }

    private static DateOnly? Date(JsonFields fields, string name)
    {
        var text = OptionalText(fields, name, MaxText);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        fields.Problem(name, "Must be a date such as 2026-12-01.");
        return null;
    }

    /// <summary>
    /// Problems per field, as the RFA form has one input per field: an unknown name at <c>workloads[1]</c> is
    /// reported under <c>workloads</c>.
    /// </summary>
    private static Dictionary<string, string[]> PerField(Dictionary<string, string[]> problems) =>
        problems.GroupBy(problem => problem.Key.Split('[')[0], StringComparer.Ordinal)
            .ToDictionary(field => field.Key, field => field.SelectMany(problem => problem.Value).ToArray(), StringComparer.Ordinal);
}
