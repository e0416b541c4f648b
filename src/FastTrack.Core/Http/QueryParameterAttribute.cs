namespace FastTrack.Core.Http;

/// <summary>
/// A query parameter a handler reads itself (through <see cref="QueryFields"/>, so that one 400 lists every problem),
/// declared next to the handler for the OpenAPI description, which cannot see it otherwise: the dev host adds one
/// optional query parameter per attribute to the handler's operation.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class QueryParameterAttribute(string name, Type type, string description) : Attribute
{
    public string Name { get; } = name;

    /// <summary>What the value is read as: <see cref="string"/>, <see cref="bool"/>, <see cref="int"/>, <see cref="DateTimeOffset"/> or an enum.</summary>
    public Type Type { get; } = type;

    public string Description { get; } = description;

    /// <summary>The smallest value of an <see cref="int"/> parameter; <see cref="int.MinValue"/>: none declared.</summary>
    public int Minimum { get; set; } = int.MinValue;

    /// <summary>The largest value of an <see cref="int"/> parameter; <see cref="int.MaxValue"/>: none declared.</summary>
    public int Maximum { get; set; } = int.MaxValue;
}
