using System.Globalization;
using System.Text.Json;
using System.Text;
using FastTrack.Testing;

namespace FastTrack.Functions.Tests.Deploy;

/// <summary>
/// A compiled ARM template (what <c>bicep build</c> writes), read the way ARM deploys it: every resource, those of
/// nested deployments (Bicep modules) included, each evaluated in its own template against the parameter values its
/// parent passes. It evaluates enough of the expression language to read literals, variables, parameters,
/// <c>format()</c>, copy loops and resource ids. What only exists at deployment time (<c>reference()</c>,
/// <c>uniqueString()</c>, a module's outputs) stays <see cref="Unresolved"/>, carrying its text, so a test can still
/// tell which resource and property it refers to.
/// </summary>
public sealed class ArmTemplate
{
    private ArmTemplate(IReadOnlyList<ArmResource> resources) => Resources = resources;

    /// <summary>Every resource the template deploys (not those a false condition skips), one per copy of a loop.</summary>
    public IReadOnlyList<ArmResource> Resources { get; }

    public static ArmTemplate Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement.Clone();
        var resources = new List<ArmResource>();
        Collect(root, new ArmScope(root, new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase), null), resources);
        return new ArmTemplate(resources);
    }

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(resource => string.Equals(resource.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>A value as text: strings as they are, unresolved expressions as their text, the rest as JSON.</summary>
    public static string Text(object? value) => value switch
    {
        null => "null",
        string text => text,
        Unresolved unresolved => unresolved.Expression,
        bool flag => flag ? "true" : "false",
        long number => number.ToString(CultureInfo.InvariantCulture),
        double number => number.ToString(CultureInfo.InvariantCulture),
        IReadOnlyDictionary<string, object?> map => "{" + string.Join(", ", map.Select(entry => $"{entry.Key}: {Text(entry.Value)}")) + "}",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Text)) + "]",
        _ => value.ToString() ?? "",
    };

    private static void Collect(JsonElement template, ArmScope scope, List<ArmResource> into)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            return;
        }

        // Bicep writes an array, or with symbolic names (languageVersion 2.0) an object keyed by them.
        var declared = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(property => property.Value)
            : resources.EnumerateArray();
        foreach (var body in declared)
        {
            if (body.TryGetProperty("existing", out var existing) && existing.ValueKind == JsonValueKind.True)
            {
                continue;
            }

            if (body.TryGetProperty("copy", out var copy))
            {
                var count = (long)scope.Evaluate(copy.GetProperty("count"))!;
                for (var index = 0; index < count; index++)
                {
                    Add(body, scope.WithCopyIndex(index), into);
                }
            }
            else
            {
                Add(body, scope, into);
            }
        }
    }

    private static void Add(JsonElement body, ArmScope scope, List<ArmResource> into)
    {
        if (body.TryGetProperty("condition", out var condition) && scope.Evaluate(condition) is false)
        {
            return;
        }

        var resource = new ArmResource(body.GetProperty("type").GetString()!, body, scope);
        into.Add(resource);

        if (string.Equals(resource.Type, "Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase) &&
            body.GetProperty("properties").TryGetProperty("template", out var template))
        {
            var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            if (body.GetProperty("properties").TryGetProperty("parameters", out var passed))
            {
                foreach (var parameter in passed.EnumerateObject())
                {
                    if (parameter.Value.TryGetProperty("value", out var value))
                    {
                        values[parameter.Name] = scope.Evaluate(value);
                    }
                }
            }

            Collect(template, new ArmScope(template, values, null), into);
        }
    }

    /// <summary>An expression whose value exists only at deployment time, e.g. <c>reference(…).principalId</c>.</summary>
    public sealed record Unresolved(string Expression)
    {
        public override string ToString() => Expression;
    }
}

/// <summary>One deployed resource of an <see cref="ArmTemplate"/>.</summary>
public sealed class ArmResource(string type, JsonElement body, ArmScope scope)
{
    public string Type { get; } = type;

    /// <summary>The resource's name, evaluated.</summary>
    public string Name => ArmTemplate.Text(Get("name"));

    /// <summary>The property at a dotted path (<c>properties.runtime.name</c>), evaluated; null when absent.</summary>
    public object? Get(string path)
    {
        var element = body;
        foreach (var segment in path.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return null;
            }
        }

        return scope.Evaluate(element);
    }

    public override string ToString() => $"{Type} {Name}";
}

/// <summary>Where a template's expressions are evaluated: its variables, its parameters' values, the loop's index.</summary>
public sealed class ArmScope
{
    private readonly JsonElement template;
    private readonly IReadOnlyDictionary<string, object?> parameterValues;
    private readonly int? copyIndex;

    public ArmScope(JsonElement template, IReadOnlyDictionary<string, object?> parameterValues, int? copyIndex)
    {
        this.template = template;
        this.parameterValues = parameterValues;
        this.copyIndex = copyIndex;
    }

    public ArmScope WithCopyIndex(int index) => new(template, parameterValues, index);

    /// <summary>A JSON value with every expression string in it evaluated, names of properties included.</summary>
    public object? Evaluate(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => EvaluateString(element.GetString()!),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(
            property => ArmTemplate.Text(EvaluateString(property.Name)),
            property => Evaluate(property.Value),
            StringComparer.OrdinalIgnoreCase),
        JsonValueKind.Array => element.EnumerateArray().Select(Evaluate).ToList(),
        _ => null,
    };

    private object? EvaluateString(string text) =>
        text.StartsWith("[[", StringComparison.Ordinal) ? text[1..]
        : text.StartsWith('[') && text.EndsWith(']') ? new ArmExpression(text[1..^1], this).Evaluate()
        : text;

    internal object? Parameter(string name)
    {
        if (parameterValues.TryGetValue(name, out var value))
        {
            return value;
        }

        var declared = template.GetProperty("parameters").GetProperty(name);
        return declared.TryGetProperty("defaultValue", out var defaultValue)
            ? Evaluate(defaultValue)
            : new ArmTemplate.Unresolved($"parameters('{name}')");
    }

    internal object? Variable(string name) => Evaluate(template.GetProperty("variables").GetProperty(name));

    internal int CopyIndex => copyIndex ?? throw new InvalidOperationException("copyIndex() outside a copy loop");
}

/// <summary>One ARM template expression (the text between <c>[</c> and <c>]</c>), parsed and evaluated in one pass.</summary>
internal sealed class ArmExpression(string text, ArmScope scope)
{
    private int position;

    public object? Evaluate()
    {
        var value = Expression();
        Skip();
        if (position != text.Length)
        {
            throw new FormatException($"Unexpected '{text[position..]}' in [{text}]");
        }

        return value;
    }

    // expression := (string | number | call) ('.' name | '[' expression ']')*
    private object? Expression()
    {
        Skip();
        var value = text[position] switch
        {
            '\'' => StringLiteral(),
            var digit when char.IsAsciiDigit(digit) || digit == '-' => NumberLiteral(),
            _ => Call(),
        };

        while (true)
        {
            Skip();
            if (Accept('.'))
            {
                value = Member(value, Name());
            }
            else if (Accept('['))
            {
                var index = Expression();
                Expect(']');
                value = Index(value, index);
            }
            else
            {
                return value;
            }
        }
    }

    private object? Call()
    {
        var name = Name();
        Expect('(');
        var arguments = new List<object?>();
        Skip();
        if (!Accept(')'))
        {
            do
            {
                arguments.Add(Expression());
                Skip();
            }
            while (Accept(','));
            Expect(')');
        }

        return Function(name, arguments);
    }

    private object? Function(string name, List<object?> arguments)
    {
        var resolved = !arguments.Any(argument => argument is ArmTemplate.Unresolved);
        switch (name.ToLowerInvariant())
        {
            case "parameters":
                return scope.Parameter((string)arguments[0]!);
            case "variables":
                return scope.Variable((string)arguments[0]!);
            case "copyindex":
                return (long)scope.CopyIndex + (arguments is [long offset] ? offset : 0);
            case "length":
                return arguments[0] switch
                {
                    string value => (long)value.Length,
                    IReadOnlyList<object?> list => (long)list.Count,
                    IReadOnlyDictionary<string, object?> map => (long)map.Count,
                    _ => Opaque(name, arguments),
                };
            case "format":
                var formatted = string.Format(
                    CultureInfo.InvariantCulture, (string)arguments[0]!, arguments.Skip(1).Select(ArmTemplate.Text).ToArray<object?>());
                return resolved ? formatted : new ArmTemplate.Unresolved(formatted);
            case "concat" when arguments.All(argument => argument is string or ArmTemplate.Unresolved):
                var joined = string.Concat(arguments.Select(ArmTemplate.Text));
                return resolved ? joined : new ArmTemplate.Unresolved(joined);
            case "resourceid" or "subscriptionresourceid" or "tenantresourceid":
                // Skips the optional subscription and resource group arguments before the type.
                var typeAt = arguments.FindIndex(argument => argument is string value && value.Contains('/', StringComparison.Ordinal));
                var id = ResourceId((string)arguments[typeAt]!, arguments.Skip(typeAt + 1).Select(ArmTemplate.Text).ToList());
                return resolved ? id : new ArmTemplate.Unresolved(id);
            case "createobject" when arguments.Count % 2 == 0:
                return arguments.Chunk(2).ToDictionary(
                    pair => ArmTemplate.Text(pair[0]), pair => pair[1], StringComparer.OrdinalIgnoreCase);
            case "union" when arguments.All(argument => argument is IReadOnlyDictionary<string, object?>):
                var merged = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                foreach (var map in arguments.Cast<IReadOnlyDictionary<string, object?>>())
                {
                    foreach (var (key, value) in map)
                    {
                        merged[key] = value;
                    }
                }

                return merged;
            case "not" when arguments[0] is bool value:
                return !value;
            case "empty" when resolved:
                return arguments[0] switch
                {
                    null => true,
                    string value => value.Length == 0,
                    IReadOnlyList<object?> list => list.Count == 0,
                    IReadOnlyDictionary<string, object?> map => map.Count == 0,
                    _ => false,
                };
            case "equals" when resolved:
                return Equals(arguments[0], arguments[1]);
            case "true":
                return true;
            case "false":
                return false;
            default:
                return Opaque(name, arguments);
        }
    }

    /// <summary><c>Microsoft.ServiceBus/namespaces/topics</c> with names <c>sb, t</c>: <c>Microsoft.ServiceBus/namespaces/sb/topics/t</c>.</summary>
    private static string ResourceId(string type, List<string> names)
    {
        var segments = type.Split('/');
        var id = new StringBuilder(segments[0]);
        for (var i = 1; i < segments.Length; i++)
        {
            id.Append('/').Append(segments[i]).Append('/').Append(i - 1 < names.Count ? names[i - 1] : "?");
        }

        return id.ToString();
    }

    private static ArmTemplate.Unresolved Opaque(string name, IEnumerable<object?> arguments) =>
        new($"{name}({string.Join(", ", arguments.Select(ArmTemplate.Text))})");

    private static object? Member(object? value, string name) => value switch
    {
        ArmTemplate.Unresolved unresolved => new ArmTemplate.Unresolved($"{unresolved.Expression}.{name}"),
        IReadOnlyDictionary<string, object?> map => map.TryGetValue(name, out var member)
            ? member
            : throw new KeyNotFoundException($"No property '{name}' in {ArmTemplate.Text(map)}"),
        _ => throw new InvalidOperationException($"'.{name}' of {ArmTemplate.Text(value)}"),
    };

    private static object? Index(object? value, object? index) => (value, index) switch
    {
        (ArmTemplate.Unresolved unresolved, _) => new ArmTemplate.Unresolved($"{unresolved.Expression}[{ArmTemplate.Text(index)}]"),
        (IReadOnlyList<object?> list, long at) => list[(int)at],
        (_, string name) => Member(value, name),
        _ => throw new InvalidOperationException($"[{ArmTemplate.Text(index)}] of {ArmTemplate.Text(value)}"),
    };

    private string StringLiteral()
    {
        Expect('\'');
        var value = new StringBuilder();
        while (true)
        {
            if (position >= text.Length)
            {
                throw new FormatException($"Unterminated string in [{text}]");
            }

            var next = text[position++];
            if (next == '\'')
            {
                if (position < text.Length && text[position] == '\'')
                {
                    position++;
                    value.Append('\'');
                    continue;
                }

                return value.ToString();
            }

            value.Append(next);
        }
    }

    private long NumberLiteral()
    {
        var start = position;
        position++;
        while (position < text.Length && char.IsAsciiDigit(text[position]))
        {
            position++;
        }

        return long.Parse(text[start..position], CultureInfo.InvariantCulture);
    }

    private string Name()
    {
        Skip();
        var start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] is '_' or '$' or '#'))
        {
            position++;
        }

        return start < position ? text[start..position] : throw new FormatException($"Name expected at {position} in [{text}]");
    }

    private bool Accept(char expected)
    {
        Skip();
        if (position < text.Length && text[position] == expected)
        {
            position++;
            return true;
        }

        return false;
    }

    private void Expect(char expected)
    {
        if (!Accept(expected))
        {
            throw new FormatException($"'{expected}' expected at {position} in [{text}]");
        }
    }

    private void Skip()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }
}
