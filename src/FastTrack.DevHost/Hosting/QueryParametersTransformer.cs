using System.Globalization;
using System.Text.Json.Nodes;
using FastTrack.Core.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FastTrack.DevHost.Hosting;

/// <summary>
/// Adds to an operation the query parameters its handler declares (<see cref="QueryParameterAttribute"/>,
/// <see cref="PagedListAttribute"/>): the handlers read <c>request.Query</c> themselves, so the generator sees none.
/// Each is optional. The schemas are written here rather than taken from the generator, whose schemas are those of
/// JSON bodies (where a number may also be a string).
/// </summary>
internal sealed class QueryParametersTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var declared = metadata.OfType<QueryParameterAttribute>()
            .Concat(metadata.OfType<PagedListAttribute>().SelectMany(paged => paged.Parameters));
        foreach (var parameter in declared)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = parameter.Name,
                In = ParameterLocation.Query,
                Description = parameter.Description,
                Schema = SchemaOf(parameter),
            });
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema SchemaOf(QueryParameterAttribute parameter) => parameter.Type switch
    {
        { IsEnum: true } type => new() { Type = JsonSchemaType.String, Enum = [.. Enum.GetNames(type).Select(name => JsonValue.Create(name))] },
        var type when type == typeof(string) => new() { Type = JsonSchemaType.String },
        var type when type == typeof(bool) => new() { Type = JsonSchemaType.Boolean },
        var type when type == typeof(DateTimeOffset) => new() { Type = JsonSchemaType.String, Format = "date-time" },
        var type when type == typeof(int) => new()
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = parameter.Minimum == int.MinValue ? null : parameter.Minimum.ToString(CultureInfo.InvariantCulture),
            Maximum = parameter.Maximum == int.MaxValue ? null : parameter.Maximum.ToString(CultureInfo.InvariantCulture),
        },
        var type => throw new InvalidOperationException($"Query parameter {parameter.Name}: no schema for {type}."),
    };
}
