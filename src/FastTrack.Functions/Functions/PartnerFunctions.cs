using FastTrack.Core.Partners;

namespace FastTrack.Functions.Functions;

/// <summary>Partner profiles (operations).</summary>
public sealed class PartnerFunctions(PartnersApi partners)
{
    [Function("ListPartners")]
    public async Task<IResult> ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PartnersApi.ListRoute)] HttpRequest request,
        CancellationToken cancellationToken) =>
        await partners.ListAsync(request, cancellationToken);

    [Function("PutPartner")]
    public async Task<IResult> PutAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = PartnersApi.PartnerRoute)] HttpRequest request,
        string partnerId,
        CancellationToken cancellationToken) =>
        await partners.PutAsync(request, partnerId, cancellationToken);

    [Function("GetPartner")]
    public async Task<IResult> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = PartnersApi.PartnerRoute)] HttpRequest request,
        string partnerId,
        CancellationToken cancellationToken) =>
        await partners.GetAsync(request, partnerId, cancellationToken);

    [Function("PausePartner")]
    public async Task<IResult> PauseAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = PartnersApi.PauseRoute)] HttpRequest request,
        string partnerId,
        CancellationToken cancellationToken) =>
        await partners.PauseAsync(request, partnerId, cancellationToken);
}
