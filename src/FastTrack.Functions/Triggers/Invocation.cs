using System.Text.Json;
using System.Text.Json.Serialization;

namespace FastTrack.Functions.Triggers;

/// <summary>
/// The custom handler request payload: trigger and input data by binding name, and the trigger's metadata.
/// The Functions host sends it as <c>POST /{FunctionName}</c>; the local trigger loop builds the same shape.
/// </summary>
public sealed record InvocationRequest(
    [property: JsonPropertyName("Data")] IReadOnlyDictionary<string, JsonElement> Data,
    [property: JsonPropertyName("Metadata")] IReadOnlyDictionary<string, JsonElement> Metadata)
{
    public JsonElement? DataFor(Trigger trigger) =>
        Data.TryGetValue(trigger.BindingName, out var value) ? value : null;

    public string? MetadataString(string name) =>
        Metadata.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>The custom handler response payload: output binding values, log lines, and the return value.</summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResponse Done(params string[] logs) => new(new Dictionary<string, object?>(), logs, null);
}
