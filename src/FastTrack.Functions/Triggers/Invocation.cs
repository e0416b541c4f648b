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
    private JsonElement? DataFor(Trigger trigger) =>
        Data.TryGetValue(trigger.BindingName, out var value) ? value : null;

    /// <summary>
    /// A queue trigger's message text. The host passes it as a JSON string, or, when the text is itself JSON, may
    /// pass the parsed value; both come back as the original text.
    /// </summary>
    public string QueueMessageText(Trigger trigger) => DataFor(trigger) switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        { } json => json.GetRawText(),
        null => throw new InvalidOperationException($"The invocation has no '{trigger.BindingName}' data."),
    };
}

/// <summary>The custom handler response payload: output binding values, log lines, and the return value.</summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResponse Done(params string[] logs) => new(new Dictionary<string, object?>(), logs, null);
}
