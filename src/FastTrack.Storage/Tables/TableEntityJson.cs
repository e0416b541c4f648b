using System.Globalization;
using System.Text.Json;
using Azure;

namespace FastTrack.Storage.Tables;

/// <summary>
/// The Table service's JSON entity format. Types JSON cannot tell apart (Int64, DateTime, Guid, Binary, and Double,
/// which may look like an integer) are written with an <c>@odata.type</c> annotation; reads ask for
/// minimal metadata so that the service annotates them back and adds each entity's <c>odata.etag</c>.
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static BinaryData Serialize(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString(TableEntity.PartitionKeyName, entity.PartitionKey);
            writer.WriteString(TableEntity.RowKeyName, entity.RowKey);
            foreach (var (name, value) in entity)
            {
                WriteProperty(writer, name, value);
            }

            writer.WriteEndObject();
        }

        return new BinaryData(buffer.ToArray());
    }

    public static TableEntity Deserialize(JsonElement json)
    {
        var entity = new TableEntity();
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            switch (name)
            {
                case TableEntity.PartitionKeyName:
                    entity.PartitionKey = property.Value.GetString() ?? string.Empty;
                    break;
                case TableEntity.RowKeyName:
                    entity.RowKey = property.Value.GetString() ?? string.Empty;
                    break;
                case TableEntity.TimestampName:
                    entity.Timestamp = ParseDateTime(property.Value.GetString());
                    break;
                case "odata.etag":
                    entity.ETag = new ETag(property.Value.GetString()!);
                    break;
                case var _ when name.StartsWith("odata.", StringComparison.Ordinal) ||
                                name.EndsWith(TypeSuffix, StringComparison.Ordinal):
                    break;
                default:
                    var type = json.TryGetProperty(name + TypeSuffix, out var annotation) ? annotation.GetString() : null;
                    entity.SetRead(name, ReadValue(property.Value, type));
                    break;
            }
        }

        return entity;
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string text:
                writer.WriteString(name, text);
                break;
            case bool flag:
                writer.WriteBoolean(name, flag);
                break;
            case int number:
                writer.WriteNumber(name, number);
                break;
            case long number:
                Annotate(writer, name, "Edm.Int64");
                writer.WriteString(name, number.ToString(CultureInfo.InvariantCulture));
                break;
            case double number:
                Annotate(writer, name, "Edm.Double");
                if (double.IsFinite(number))
                {
                    writer.WriteNumber(name, number);
                }
                else
                {
                    // JSON has no NaN or infinities; the service takes them as these strings.
                    writer.WriteString(name, number.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case DateTimeOffset time:
                Annotate(writer, name, "Edm.DateTime");
                writer.WriteString(name, FormatDateTime(time));
                break;
            case Guid id:
                Annotate(writer, name, "Edm.Guid");
                writer.WriteString(name, id.ToString("D"));
                break;
            case byte[] bytes:
                Annotate(writer, name, "Edm.Binary");
                writer.WriteBase64String(name, bytes);
                break;
            default:
                // TableEntity refuses other types when they are set.
                throw new InvalidOperationException($"Property '{name}' has unsupported type {value.GetType()}.");
        }
    }

    private static void Annotate(Utf8JsonWriter writer, string name, string edmType) =>
        writer.WriteString(name + TypeSuffix, edmType);

    private static object ReadValue(JsonElement value, string? edmType) => edmType switch
    {
        "Edm.Int64" => long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture),
        "Edm.Double" => value.ValueKind == JsonValueKind.String
            ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : value.GetDouble(),
        "Edm.DateTime" => ParseDateTime(value.GetString()),
        "Edm.Guid" => Guid.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        "Edm.Binary" => value.GetBytesFromBase64(),
        _ => value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out var whole) => whole,
            JsonValueKind.Number => value.GetDouble(),
            _ => throw new FormatException($"Unexpected JSON {value.ValueKind} in a table entity."),
        },
    };

    internal static string FormatDateTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseDateTime(string? text) =>
        DateTimeOffset.Parse(
            text ?? throw new FormatException("A table date/time property is null."),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
