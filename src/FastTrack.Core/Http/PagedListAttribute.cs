namespace FastTrack.Core.Http;

/// <summary>
/// The paging parameters every list reads (<see cref="QueryFields.PageSize"/> and <see cref="QueryFields.Token"/>), for
/// the OpenAPI description like <see cref="QueryParameterAttribute"/>: <c>pageSize</c> and <c>continuationToken</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PagedListAttribute(int defaultPageSize, int maxPageSize) : Attribute
{
    public IReadOnlyList<QueryParameterAttribute> Parameters { get; } =
    [
        new("pageSize", typeof(int), $"Items a page, 1–{maxPageSize}; {defaultPageSize} when absent.") { Minimum = 1, Maximum = maxPageSize },
        new("continuationToken", typeof(string), "The continuationToken of the previous page, for the next one; absent for the first page."),
    ];
}
