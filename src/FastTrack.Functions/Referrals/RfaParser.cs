using System.Globalization;
using System.Text.Json.Nodes;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;
using FastTrack.Functions.Mail;

namespace FastTrack.Functions.Referrals;

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
/// comma-separated <c>workloads</c>), and reports every problem at once, keyed by that path.
/// </summary>
public static class RfaParser
{
    private const int MaxText = 200;
    private const int MaxNotes = 4000;

    public static (Rfa? Rfa, Dictionary<string, string[]> Errors) Parse(JsonNode? body)
    {
        var reader = new FieldReader(body as JsonObject);
        if (body is not JsonObject)
        {
            reader.Fail("", "The body must be a JSON object or a form.");
        }

        var submissionId = reader.Text("submissionId", max: 100);
        var type = reader.Enum<ReferralType>("type");
        var requestor = new Requestor(
            reader.Text("requestor.name"), reader.Email("requestor.email"), reader.Boolean("requestor.isMicrosoft") ?? false);
        var customer = new Customer(
            reader.Text("customer.tenantId", max: 100),
            reader.Text("customer.tpid", max: 100),
            reader.Text("customer.name"),
            reader.Code("customer.country", "an ISO 3166-1 alpha-2 country code such as US").ToUpperInvariant(),
            reader.Code("customer.language", "an ISO 639-1 language code such as en").ToLowerInvariant(),
            reader.Enum<Segment>("customer.segment"),
            reader.Integer("customer.seats", min: 1));
        var workloads = reader.EnumSet<Workload>("workloads");
        var contact = new CustomerContact(reader.Text("contact.name"), reader.Email("contact.email"), reader.OptionalText("contact.phone", MaxText));
        var notes = reader.OptionalText("notes", MaxNotes);
        var start = reader.Date("engagementStartDate");

        return reader.Errors.Count > 0
            ? (null, reader.Errors.ToDictionary(e => e.Key, e => e.Value.ToArray()))
            : (new Rfa(submissionId, type, requestor, customer, workloads, contact, notes, start), []);
    }

    /// <summary>The same shape as the JSON body, built from form fields named by their JSON paths.</summary>
    public static JsonObject FromForm(IFormCollection form)
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

            parent[path[^1]] = key == "workloads"
                ? new JsonArray(values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())
                : JsonValue.Create(values.ToString());
        }

        return root;
    }

    private sealed class FieldReader(JsonObject? root)
    {
        public Dictionary<string, List<string>> Errors { get; } = [];

        public void Fail(string path, string problem)
        {
            if (!Errors.TryGetValue(path, out var problems))
            {
                Errors[path] = problems = [];
            }

            problems.Add(problem);
        }

        public string Text(string path, int max = MaxText) =>
            OptionalText(path, max) is { } text ? text : Missing(path, string.Empty);

        public string? OptionalText(string path, int max)
        {
            var text = Scalar(path)?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (text.Length > max)
            {
                Fail(path, $"At most {max} characters.");
            }

            return text;
        }

        public string Email(string path)
        {
            var email = Text(path);
            if (email.Length > 0 && (email.IndexOf('@', StringComparison.Ordinal) is var at && (at < 1 || at == email.Length - 1 || email.Contains(' ', StringComparison.Ordinal))))
            {
                Fail(path, "Not an email address.");
            }

            return email;
        }

        public string Code(string path, string what)
        {
            var code = Text(path);
            if (code.Length > 0 && (code.Length != 2 || !code.All(char.IsAsciiLetter)))
            {
                Fail(path, $"Must be {what}.");
            }

            return code;
        }

        public T Enum<T>(string path)
            where T : struct, Enum
        {
            var text = Text(path);
            if (text.Length == 0)
            {
                return default;
            }

            if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsAsciiDigit(text[0]))
            {
                return value;
            }

            Fail(path, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
            return default;
        }

        public HashSet<T> EnumSet<T>(string path)
            where T : struct, Enum
        {
            var node = Node(path);
            if (node is not JsonArray array || array.Count == 0)
            {
                Fail(path, node is null ? "Required: at least one." : "Must be a list with at least one entry.");
                return [];
            }

            var values = new HashSet<T>();
            foreach (var item in array)
            {
                var text = item is JsonValue value && value.TryGetValue<string>(out var s) ? s : item?.ToJsonString() ?? "null";
                if (System.Enum.TryParse<T>(text, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed) && !char.IsAsciiDigit(text.FirstOrDefault()))
                {
                    values.Add(parsed);
                }
                else
                {
                    Fail(path, $"'{text}' is not one of {string.Join(", ", System.Enum.GetNames<T>())}.");
                }
            }

            return values;
        }

        public int Integer(string path, int min)
        {
            var node = Node(path);
            if (node is null)
            {
                return Missing(path, 0);
            }

            var parsed = node is JsonValue value && value.TryGetValue<int>(out var number) ? number
                : int.TryParse(Scalar(path), NumberStyles.None, CultureInfo.InvariantCulture, out var fromText) ? fromText
                : (int?)null;
            if (parsed is null || parsed < min)
            {
                Fail(path, $"Must be a whole number of at least {min}.");
                return 0;
            }

            return parsed.Value;
        }

        public bool? Boolean(string path)
        {
            var node = Node(path);
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue value && value.TryGetValue<bool>(out var flag))
            {
                return flag;
            }

            // Forms send checkboxes as "on", or "true" / "false" from a select.
            switch (Scalar(path)?.Trim().ToLowerInvariant())
            {
                case "true" or "on" or "yes":
                    return true;
                case "false" or "off" or "no" or "":
                    return false;
                default:
                    Fail(path, "Must be true or false.");
                    return null;
            }
        }

        public DateOnly? Date(string path)
        {
            var text = OptionalText(path, 10);
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Fail(path, "Must be a date such as 2026-12-01.");
            return null;
        }

        private T Missing<T>(string path, T placeholder)
        {
            Fail(path, "Required.");
            return placeholder;
        }

        private string? Scalar(string path) => Node(path) switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonValue value => value.ToJsonString(),
            _ => NotScalar(path),
        };

        private string? NotScalar(string path)
        {
            Fail(path, "Must be a single value.");
            return null;
        }

        private JsonNode? Node(string path)
        {
            JsonNode? node = root;
            foreach (var segment in path.Split('.'))
            {
                node = node is JsonObject obj && obj.TryGetPropertyValue(segment, out var child) ? child : null;
            }

            return node;
        }
    }
}
