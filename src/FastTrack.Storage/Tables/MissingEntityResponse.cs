using Azure;

namespace FastTrack.Storage.Tables;

/// <summary>The answer of <see cref="TableClient.GetEntityIfExistsAsync"/> when the entity is not there.</summary>
internal sealed class MissingEntityResponse(Response response) : NullableResponse<TableEntity>
{
    public override bool HasValue => false;

    public override TableEntity Value =>
        throw new InvalidOperationException("The entity does not exist; check HasValue first.");

    public override Response GetRawResponse() => response;
}
