using System.Globalization;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace FastTrack.Storage.Core;

/// <summary>What every client of ours holds: the service endpoint and a pipeline that authenticates and retries.</summary>
internal sealed class StorageClientContext
{
    private const string StorageScope = "https://storage.azure.com/.default";

    private StorageClientContext(Uri endpoint, HttpPipeline pipeline)
    {
        Endpoint = endpoint;
        Pipeline = pipeline;
    }

    public Uri Endpoint { get; }

    public HttpPipeline Pipeline { get; }

    public static StorageClientContext Create(
        Uri endpoint, StorageService service, StorageSharedKeyCredential credential, StorageClientOptions options) =>
        Create(endpoint, options, new SharedKeyPolicy(credential, service));

    public static StorageClientContext Create(Uri endpoint, TokenCredential credential, StorageClientOptions options) =>
        Create(endpoint, options, new BearerTokenAuthenticationPolicy(credential, StorageScope));

    private static StorageClientContext Create(Uri endpoint, StorageClientOptions options, HttpPipelinePolicy auth)
    {
        // Headers go on per retry, before authentication, so SharedKey signs the values actually sent.
        var pipeline = HttpPipelineBuilder.Build(
            options,
            perCallPolicies: [],
            perRetryPolicies: [new StorageHeadersPolicy(options.ServiceVersion), auth],
            responseClassifier: new ResponseClassifier());
        return new StorageClientContext(endpoint, pipeline);
    }

    public HttpMessage CreateMessage(RequestMethod method, Uri uri)
    {
        var message = Pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(uri);
        return message;
    }

    /// <summary>Sends and throws <see cref="RequestFailedException"/> (status, error code) for any error status.</summary>
    public async Task<Response> SendAsync(HttpMessage message, CancellationToken cancellationToken)
    {
        await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        return response.IsError ? throw new RequestFailedException(response, null, StorageErrorParser.Instance) : response;
    }

    private sealed class StorageHeadersPolicy(string serviceVersion) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            message.Request.Headers.SetValue("x-ms-version", serviceVersion);
            message.Request.Headers.SetValue(
                "x-ms-date", DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}
