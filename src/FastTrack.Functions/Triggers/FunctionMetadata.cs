using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FastTrack.Functions.Hosting;
using Microsoft.AspNetCore.Routing.Patterns;

namespace FastTrack.Functions.Triggers;

/// <summary>
/// The deployment's function metadata, one <c>function.json</c> per function, generated from what the app declares:
/// an HTTP function per route it maps (with all that route's methods), which the host proxies to the app unchanged, and
/// a function per <see cref="ITriggeredFunction"/>. host.json sets <c>routePrefix</c> to "", so a function's route is
/// the app's own (<c>api/health</c>, <c>rfa</c>, <c>openapi/v1.json</c>).
/// </summary>
public static partial class FunctionMetadata
{
    /// <summary><c>FastTrack.Functions --write-function-metadata DIR</c> writes the folders into DIR and exits.</summary>
    public const string WriteArgument = "--write-function-metadata";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string? RequestedFolder(string[] args)
    {
        var at = Array.IndexOf(args, WriteArgument);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>
    /// Writes <c>{folder}/{function}/function.json</c> for the app as deployed: the Development routes and the
    /// custom handler's invocation routes are not functions, so both modes are refused.
    /// </summary>
    public static void Write(WebApplication app, string folder)
    {
        if (app.Environment.IsDevelopment() || FunctionsHost.IsCustomHandler(app.Configuration))
        {
            throw new InvalidOperationException(
                "Function metadata describes the app as deployed: generate it outside Development and without " +
                $"{FunctionsHost.CustomHandlerPortSetting}.");
        }

        foreach (var (name, metadata) in Generate(app, app.Services.GetServices<ITriggeredFunction>()))
        {
            var directory = Directory.CreateDirectory(Path.Combine(folder, name));
            File.WriteAllText(Path.Combine(directory.FullName, "function.json"), metadata.ToJsonString(Indented));
        }
    }

    /// <summary>Each function's name and its <c>function.json</c>; names are unique, ignoring case, as the host wants.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Generate(
        IEndpointRouteBuilder endpoints, IEnumerable<ITriggeredFunction> functions)
    {
        var http = endpoints.DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .GroupBy(endpoint => Route(endpoint.RoutePattern), StringComparer.Ordinal)
            .Select(route => (Name: HttpFunctionName(route.Key), Metadata: HttpFunction(route.Key, route)));
        var triggered = functions.Select(function => (function.Name, Metadata: TriggeredFunction(function)));
        var all = new Dictionary<string, JsonObject>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, metadata) in http.Concat(triggered))
        {
            if (!all.TryAdd(name, metadata))
            {
                throw new InvalidOperationException($"Two functions would be named '{name}'; rename one.");
            }
        }

        return all;
    }

    /// <summary><c>http-</c> and the route's letters and digits: <c>api/partners/{partnerId}</c> is <c>http-api-partners-partnerId</c>.</summary>
    public static string HttpFunctionName(string route) =>
        "http-" + (NotNameCharacters().Replace(route, "-").Trim('-') is { Length: > 0 } name ? name : "root");

    /// <summary>The route as the host's route template reads it: no leading slash, parameters with their constraints.</summary>
    public static string Route(RoutePattern pattern) =>
        string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(Part))));

    private static string Part(RoutePatternPart part) => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternSeparatorPart separator => separator.Content,
        RoutePatternParameterPart parameter =>
            "{" + (parameter.IsCatchAll ? "*" : "") + parameter.Name +
            string.Concat(parameter.ParameterPolicies.Select(policy => ":" + policy.Content)) +
            (parameter.IsOptional ? "?" : "") + "}",
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, "Unknown route part."),
    };

    /// <summary>
    /// Anonymous to the host: the app checks its own role keys (<c>x-functions-key</c>), so the request reaches it as
    /// sent. A route mapped for any method has no <c>methods</c>, which the host reads as all.
    /// </summary>
    private static JsonObject HttpFunction(string route, IEnumerable<RouteEndpoint> endpoints)
    {
        var methods = endpoints.Select(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods).ToList();
        var trigger = Binding("httpTrigger", "in", "req");
        trigger["authLevel"] = "anonymous";
        trigger["route"] = route;
        if (methods.All(list => list is not null))
        {
            trigger["methods"] = new JsonArray(methods
                .SelectMany(list => list!)
                .Select(method => method.ToLowerInvariant())
                .Distinct()
                .Order(StringComparer.Ordinal)
                .Select(method => (JsonNode)method)
                .ToArray());
        }

        return Function(trigger, Binding("http", "out", "res"));
    }

    private static JsonObject TriggeredFunction(ITriggeredFunction function)
    {
        var trigger = function.Trigger;
        var binding = trigger switch
        {
            TimerTrigger timer => Binding("timerTrigger", "in", trigger.BindingName, ("schedule", timer.Schedule)),
            QueueTrigger queue => Binding(
                "queueTrigger", "in", trigger.BindingName, ("queueName", queue.QueueName), ("connection", StorageAccount.Setting)),
            // Flex Consumption has no polling blob trigger: blob-created events come through an Event Grid subscription.
            BlobTrigger blob => Binding(
                "blobTrigger", "in", trigger.BindingName, ("path", $"{blob.Container}/{{name}}"), ("source", "EventGrid"),
                ("connection", StorageAccount.Setting)),
            _ => throw new ArgumentOutOfRangeException(nameof(function), trigger, "Unknown trigger kind."),
        };
        var outputs = function.Outputs.Select(output => output switch
        {
            ServiceBusTopicOutput topic => Binding(
                "serviceBus", "out", topic.Name, ("topicName", topic.TopicName), ("connection", ServiceBusTopicOutput.Connection)),
            _ => throw new ArgumentOutOfRangeException(nameof(function), output, "Unknown output binding."),
        });
        return Function([binding, .. outputs]);
    }

    private static JsonObject Binding(string type, string direction, string name, params (string Key, string Value)[] properties)
    {
        var binding = new JsonObject { ["type"] = type, ["direction"] = direction, ["name"] = name };
        foreach (var (key, value) in properties)
        {
            binding[key] = value;
        }

        return binding;
    }

    private static JsonObject Function(params JsonObject[] bindings) =>
        new() { ["bindings"] = new JsonArray(bindings.Select(binding => (JsonNode)binding).ToArray()) };

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex NotNameCharacters();
}
