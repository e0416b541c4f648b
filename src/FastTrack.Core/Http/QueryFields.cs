using System.Globalization;
using FastTrack.Domain;

namespace FastTrack.Core.Http;

/// <summary>
/// Reads a list's query string the way <see cref="JsonFields"/> reads a body: every problem is collected under the
/// parameter's name, so one 400 lists them all. Each parameter appears at most once; a name the list does not know is a
/// problem too (a misspelt filter must not silently list everything).
/// </summary>
public sealed class QueryFields
{
    private readonly IQueryCollection _query;
    private readonly Dictionary<string, List<string>> _problems = new(StringComparer.Ordinal);

    public QueryFields(IQueryCollection query, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(query);
        _query = query;
        foreach (var name in query.Keys.Where(name => !known.Contains(name, StringComparer.Ordinal)))
        {
            Problem(name.Length > 64 ? name[..64] + "…" : name, $"Unknown parameter; this list takes {string.Join(", ", known)}.");
        }
    }

    public bool HasProblems => _problems.Count > 0;

    public void Problem(string name, string message)
    {
        if (!_problems.TryGetValue(name, out var messages))
        {
            _problems[name] = messages = [];
        }

        messages.Add(message);
    }

    public Dictionary<string, string[]> Problems() => _problems.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>The page size: <paramref name="defaultSize"/> when absent, else a whole number from 1 to <paramref name="maximum"/>.</summary>
    public int PageSize(string name, int defaultSize, int maximum) =>
        Read(name, $"a whole number from 1 to {maximum}", text =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= 1 && size <= maximum ? size : (int?)null)
        ?? defaultSize;

    public bool Bool(string name) =>
        Read(name, "true or false", text => bool.TryParse(text, out var value) ? value : (bool?)null) ?? false;

    public T? Enum<T>(string name)
        where T : struct, Enum =>
        Read(name, $"one of {string.Join(", ", System.Enum.GetNames<T>())}", text =>
            System.Enum.GetNames<T>().FirstOrDefault(known => known.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } match
                ? System.Enum.Parse<T>(match)
                : (T?)null);

    /// <summary>An ISO 8601 instant with its offset (<c>2026-12-01T00:00:00Z</c>), or a date (<c>2026-12-01</c>: its start, UTC).</summary>
    public DateTimeOffset? Instant(string name) =>
        Read(name, "an ISO 8601 date (2026-12-01) or date and time with its offset (2026-12-01T09:30:00Z)", text =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
                : text.Contains('T', StringComparison.Ordinal) && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > text.IndexOf('T', StringComparison.Ordinal)) &&
                  DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
                    ? instant
                    : (DateTimeOffset?)null);

    public string? Id(string name) => Read(name, IdRule.Description, text => IdRule.IsValid(text) ? text : null);

    /// <summary>The position a continuation token carries, checked by <paramref name="isPosition"/>.</summary>
    public string? Token(string name, Func<string, bool> isPosition) =>
        Read(name, "a continuationToken exactly as a previous page returned it", text => ContinuationTokens.Read(text, isPosition));

    private T? Read<T>(string name, string expected, Func<string, T?> parse)
    {
        if (!_query.TryGetValue(name, out var values))
        {
            return default;
        }

        if (values.Count != 1)
        {
            Problem(name, "Give this parameter once.");
            return default;
        }

        var value = parse(values[0] ?? "");
        if (value is null)
        {
            Problem(name, $"Expected {expected}.");
        }

        return value;
    }
}
