using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Azure;

namespace FastTrack.Storage.Tables;

/// <summary>
/// One row: its keys, the service's <see cref="Timestamp"/> and <see cref="ETag"/>, and named properties of the
/// types the Table service stores (string, bool, int, long, double, DateTimeOffset, Guid, byte[]).
/// </summary>
/// <remarks>
/// Keys, timestamp and ETag are properties rather than dictionary entries, so the dictionary holds exactly what a
/// write sends besides the keys. A type the service cannot store is refused when it is set, not when it is sent.
/// </remarks>
[SuppressMessage("Naming", "CA1710", Justification = "The name Azure.Data.Tables gives it, so the SDK can replace ours.")]
public sealed class TableEntity : IDictionary<string, object>
{
    internal const string PartitionKeyName = "PartitionKey";
    internal const string RowKeyName = "RowKey";
    internal const string TimestampName = "Timestamp";

    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);

    public TableEntity()
    {
    }

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    /// <summary>When the service last wrote the entity; null on an entity not read from the service.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The version read from the service; pass it to a conditional update or delete.</summary>
    public ETag ETag { get; set; }

    public ICollection<string> Keys => _properties.Keys;

    public ICollection<object> Values => _properties.Values;

    public int Count => _properties.Count;

    bool ICollection<KeyValuePair<string, object>>.IsReadOnly => false;

    public object this[string key]
    {
        get => _properties[key];
        set => _properties[key] = Checked(key, value);
    }

    public string? GetString(string key) => Get<string>(key);

    public bool? GetBoolean(string key) => GetValue<bool>(key);

    public int? GetInt32(string key) => GetValue<int>(key);

    /// <summary>An Edm.Int64, or an Edm.Int32 widened.</summary>
    public long? GetInt64(string key) => _properties.GetValueOrDefault(key) switch
    {
        null => null,
        long value => value,
        int value => value,
        var other => throw Mismatch(key, typeof(long), other),
    };

    /// <summary>An Edm.Double, or a whole number that another writer stored without the Edm.Double annotation.</summary>
    public double? GetDouble(string key) => _properties.GetValueOrDefault(key) switch
    {
        null => null,
        double value => value,
        int value => value,
        long value => value,
        var other => throw Mismatch(key, typeof(double), other),
    };

    public DateTimeOffset? GetDateTimeOffset(string key) => GetValue<DateTimeOffset>(key);

    public Guid? GetGuid(string key) => GetValue<Guid>(key);

    public byte[]? GetBinary(string key) => Get<byte[]>(key);

    public void Add(string key, object value) => _properties.Add(key, Checked(key, value));

    public bool ContainsKey(string key) => _properties.ContainsKey(key);

    public bool Remove(string key) => _properties.Remove(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object value) =>
        _properties.TryGetValue(key, out value);

    public void Clear() => _properties.Clear();

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    void ICollection<KeyValuePair<string, object>>.Add(KeyValuePair<string, object> item) => Add(item.Key, item.Value);

    bool ICollection<KeyValuePair<string, object>>.Contains(KeyValuePair<string, object> item) =>
        ((ICollection<KeyValuePair<string, object>>)_properties).Contains(item);

    void ICollection<KeyValuePair<string, object>>.CopyTo(KeyValuePair<string, object>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, object>>)_properties).CopyTo(array, arrayIndex);

    bool ICollection<KeyValuePair<string, object>>.Remove(KeyValuePair<string, object> item) =>
        ((ICollection<KeyValuePair<string, object>>)_properties).Remove(item);

    /// <summary>Sets a value read from the service, whose type the reader has already decided.</summary>
    internal void SetRead(string key, object value) => _properties[key] = value;

    private T? Get<T>(string key)
        where T : class => _properties.GetValueOrDefault(key) switch
        {
            null => null,
            T value => value,
            var other => throw Mismatch(key, typeof(T), other),
        };

    private T? GetValue<T>(string key)
        where T : struct => _properties.GetValueOrDefault(key) switch
        {
            null => null,
            T value => value,
            var other => throw Mismatch(key, typeof(T), other),
        };

    private static InvalidOperationException Mismatch(string key, Type wanted, object actual) =>
        new($"Property '{key}' holds a {actual.GetType().Name}, not a {wanted.Name}.");

    private static object Checked(string key, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value, key);
        if (key is PartitionKeyName or RowKeyName or TimestampName || key.StartsWith("odata.", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"'{key}' is a system property; use the {nameof(PartitionKey)}, {nameof(RowKey)}, " +
                $"{nameof(Timestamp)} or {nameof(ETag)} property instead.", nameof(key));
        }

        return value is string or bool or int or long or double or DateTimeOffset or Guid or byte[]
            ? value
            : throw new ArgumentException(
                $"Property '{key}' is a {value.GetType().Name}, which the Table service cannot store. Use string, " +
                "bool, int, long, double, DateTimeOffset, Guid or byte[].", nameof(value));
    }
}
