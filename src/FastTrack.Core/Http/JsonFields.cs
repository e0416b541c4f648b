using System.Text.Json;
using FastTrack.Domain;

namespace FastTrack.Core.Http;

/// <summary>
/// Reads a JSON object field by field and collects every problem (missing, ill-typed, unknown names) instead of
/// stopping at the first, as model binding would: an operations import gets one 400 that lists all of them.
/// The operations data APIs (partners, customers, calendars), the demo data seed and the RFA share it.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _object;
    private readonly string _path;
    private readonly Dictionary<string, List<string>> _problems;

    private JsonFields(JsonElement json, string path, Dictionary<string, List<string>> problems)
    {
        _object = json;
        _path = path;
        _problems = problems;
    }

    public bool HasProblems => _problems.Count > 0;

    /// <summary>The fields of a request body; a body that is not an object is itself the one problem.</summary>
    public static JsonFields Of(JsonElement body)
    {
        var fields = new JsonFields(body, string.Empty, new Dictionary<string, List<string>>(StringComparer.Ordinal));
        if (body.ValueKind != JsonValueKind.Object)
        {
            fields.Problem("body", "The body must be a JSON object.");
        }

        return fields;
    }

    /// <summary>Problems keyed by field path (<c>licenses.paidEligibleSeats</c>, <c>claims[0].workloads</c>).</summary>
    public Dictionary<string, string[]> Problems() =>
        _problems.ToDictionary(problem => problem.Key, problem => problem.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Records a problem with <paramref name="field"/> of this object (not the whole body).</summary>
    public void Problem(string field, string message)
    {
        var path = _path.Length == 0 ? field : $"{_path}.{field}";
        if (!_problems.TryGetValue(path, out var messages))
        {
            _problems[path] = messages = [];
        }

        messages.Add(message);
    }

    public string? String(string name, bool required = true) =>
        Read(name, required, "a string", value => value.ValueKind == JsonValueKind.String ? value.GetString() : null);

    /// <summary>A required id that becomes part of a storage key: it must keep <see cref="IdRule"/>.</summary>
    public string? Id(string name) => CheckId(name, String(name));

    /// <summary>
    /// Records the id rule's problem with <paramref name="id"/> (from the body or the route) under
    /// <paramref name="field"/>, so it is refused with the body's other problems before any storage call.
    /// </summary>
    public string? CheckId(string field, string? id)
    {
        if (id is not null && IdRule.Problem(id) is { } problem)
        {
            Problem(field, problem);
        }

        return id;
    }

    public bool? Boolean(string name, bool required = true) =>
        Read<bool?>(name, required, "true or false", value => value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        });

    public int? Int32(string name) =>
        Read(name, required: true, "a whole number", value =>
            value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : (int?)null);

    /// <summary>An ISO 8601 date and time with an offset, such as <c>2026-12-01T00:00:00Z</c>.</summary>
    public DateTimeOffset? Instant(string name) =>
        Read(name, required: true, "an ISO 8601 date and time such as 2026-12-01T00:00:00Z", value =>
            value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var instant)
                ? instant
                : (DateTimeOffset?)null);

    public T? Enum<T>(string name)
        where T : struct, Enum =>
        Read(name, required: true, $"one of {string.Join(", ", System.Enum.GetNames<T>())}", ParseEnum<T>);

    /// <summary>An array of strings; absent is an empty list unless <paramref name="required"/>.</summary>
    public IReadOnlyList<string>? Strings(string name, bool required = true) =>
        Array(name, required, "strings", value => value.ValueKind == JsonValueKind.String ? value.GetString() : null);

    /// <summary>An array of enum names, such as workloads; every unknown name is reported.</summary>
    public IReadOnlySet<T>? Enums<T>(string name, bool required = true)
        where T : struct, Enum =>
        Array(name, required, $"names among {string.Join(", ", System.Enum.GetNames<T>())}", ParseEnum<T>)?.OfType<T>().ToHashSet();

    /// <summary>An optional nested object read with the same rules; problems in it are reported under its path.</summary>
    public JsonFields? Object(string name) =>
        Read(name, required: false, "an object", value =>
            value.ValueKind == JsonValueKind.Object ? new JsonFields(value, Child(name), _problems) : null);

    /// <summary>
    /// A nested object read even when absent, so each missing required field in it is reported under its own path
    /// (<c>customer.seats</c>) rather than once for the object; present but not an object is a problem too.
    /// </summary>
    public JsonFields Section(string name) => Object(name) ?? new JsonFields(default, Child(name), _problems);

    /// <summary>An array of objects (absent is empty), each read with the same rules under <c>name[i]</c>.</summary>
    public IReadOnlyList<JsonFields>? Objects(string name) =>
        Array(name, required: false, "objects", (value, index) =>
            value.ValueKind == JsonValueKind.Object ? new JsonFields(value, $"{Child(name)}[{index}]", _problems) : null);

    /// <summary>
    /// An object used as a map from enum names to numbers (absent is empty); the entries that could be read, so the
    /// caller can check their values too.
    /// </summary>
    public IReadOnlyDictionary<T, double>? NumbersByName<T>(string name)
        where T : struct, Enum
    {
        var map = Object(name);
        if (map is null)
        {
            return Found(name) ? null : new Dictionary<T, double>();
        }

        var numbers = new Dictionary<T, double>();
        foreach (var property in map._object.EnumerateObject())
        {
            var key = ParseName<T>(property.Name);
            if (key is null)
            {
                map.Problem(property.Name, $"Unknown name; use one of {string.Join(", ", System.Enum.GetNames<T>())}.");
            }
            else if (property.Value.ValueKind != JsonValueKind.Number)
            {
                map.Problem(property.Name, "Expected a number.");
            }
            else
            {
                numbers[key.Value] = property.Value.GetDouble();
            }
        }

        return numbers;
    }

    private bool Found(string name) => TryGet(name, out _);

    private T? Read<T>(string name, bool required, string expected, Func<JsonElement, T?> parse)
    {
        if (!TryGet(name, out var value))
        {
            if (required)
            {
                Problem(name, "Required.");
            }

            return default;
        }

        var parsed = parse(value);
        if (parsed is null)
        {
            Problem(name, $"Expected {expected}.");
        }

        return parsed;
    }

    private List<T>? Array<T>(string name, bool required, string expected, Func<JsonElement, T?> parse) =>
        Array(name, required, expected, (value, _) => parse(value));

    private List<T>? Array<T>(string name, bool required, string expected, Func<JsonElement, int, T?> parse)
    {
        if (!TryGet(name, out var array))
        {
            if (required)
            {
                Problem(name, "Required.");
                return null;
            }

            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem(name, $"Expected an array of {expected}.");
            return null;
        }

        var items = new List<T>();
        var index = 0;
        var allRead = true;
        foreach (var item in array.EnumerateArray())
        {
            if (parse(item, index) is { } parsed)
            {
                items.Add(parsed);
            }
            else
            {
                Problem($"{name}[{index}]", $"'{Describe(item)}' is not among the {expected}.");
                allRead = false;
            }

            index++;
        }

        return allRead ? items : null;
    }

    /// <summary>Property names match case-insensitively, as System.Text.Json's web defaults do.</summary>
    private bool TryGet(string name, out JsonElement value)
    {
        if (_object.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in _object.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) &&
                    property.Value.ValueKind != JsonValueKind.Null)
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    private string Child(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    /// <summary>Enum names only (case-insensitive), never numbers: <c>"3"</c> is not a workload.</summary>
    private static T? ParseEnum<T>(JsonElement value)
        where T : struct, Enum =>
        value.ValueKind == JsonValueKind.String ? ParseName<T>(value.GetString()) : null;

    private static T? ParseName<T>(string? text)
        where T : struct, Enum
    {
        var name = System.Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return name is null ? null : System.Enum.Parse<T>(name);
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    /// <summary>A country code as the domain wants it: ISO 3166-1 alpha-2, upper case.</summary>
    public static string Country(string code) => code.Trim().ToUpperInvariant();

    /// <summary>A language code as the domain wants it: ISO 639-1, lower case.</summary>
    public static string Language(string code) => code.Trim().ToLowerInvariant();

    public static bool IsCountryCode(string code) => code is { Length: 2 } && code.All(char.IsAsciiLetterUpper);

    public static bool IsLanguageCode(string code) => code is { Length: 2 } && code.All(char.IsAsciiLetterLower);
}
