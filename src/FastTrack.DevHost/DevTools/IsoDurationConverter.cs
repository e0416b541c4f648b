using System.Text.Json;
using System.Text.Json.Serialization;
using System.Xml;

namespace FastTrack.DevHost.DevTools;

/// <summary>Reads ISO 8601 durations (<c>PT49H</c>, <c>P30D</c>) as API.md writes them; System.Text.Json does not.</summary>
public sealed class IsoDurationConverter : JsonConverter<TimeSpan?>
{
    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        try
        {
            return text is null ? null : XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException exception)
        {
            throw new JsonException($"'{text}' is not an ISO 8601 duration such as PT49H.", exception);
        }
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value is { } duration ? XmlConvert.ToString(duration) : null);
}
