using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.DevHost.Tests.Privacy;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace FastTrack.DevHost.Tests.Hosting;

/// <summary>What the app answers when a request cannot be read, or when something of ours fails under it.</summary>
[Collection(AzuriteGroup.Name)]
public sealed class RequestErrorTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("application/json")]
    [InlineData("text/html")]
    public async Task An_unexpected_exception_is_a_500_problem_without_internals_logged_with_the_route_and_request_id(string accept)
    {
        // Storage that refuses every connection: the partner lookup fails under the request, after its retries.
        var nowhere = AzuriteInstance.ConnectionStringFor(1, 2, 3);
        var logs = new LogCapture();
        await using var app = new FastTrackApp(
            nowhere, new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" }, services => services.AddSingleton<ILoggerProvider>(logs));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/partners/contoso-us", UriKind.Relative));
        request.Headers.Add("x-functions-key", FastTrackApp.OperationsKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));

        var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var requestId = JsonDocument.Parse(text).RootElement.GetProperty("requestId").GetString()!;
        Assert.DoesNotContain("Exception", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        var logged = Assert.Single(logs.Warnings, line => line.Contains(requestId, StringComparison.Ordinal));
        Assert.Contains("GET /api/partners/{partnerId}", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_a_real_socket_a_body_over_1_MiB_is_413_problem_details_whether_announced_or_streamed_and_nothing_is_stored()
    {
        var port = LoopbackPorts.Free();
        await using var app = new FastTrackApp(azurite.ConnectionString);
        app.UseKestrel(port);
        app.StartServer();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Add("x-functions-key", FastTrackApp.OperationsKey);
        var partner = SampleRequests.Partner("too-large");
        partner["notes"] = new string('n', (int)RequestLimits.MaxBodyBytes);
        var json = Encoding.UTF8.GetBytes(partner.ToJsonString());
        var intake = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/referrals", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([new("submissionId", "too-large"), new("notes", new string('n', (int)RequestLimits.MaxBodyBytes))]),
        };
        intake.Headers.Add("x-functions-key", FastTrackApp.IntakeKey);

        var announced = await client.PutAsync(new Uri("/api/partners/too-large", UriKind.Relative), Json(new ByteArrayContent(json)));
        var streamed = await client.PutAsync(new Uri("/api/partners/too-large", UriKind.Relative), Json(new StreamContent(new UnseekableStream(json))));
        var form = await client.SendAsync(intake);

        Assert.Equal(
            [HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.RequestEntityTooLarge],
            [announced.StatusCode, streamed.StatusCode, form.StatusCode]);
        Assert.All([announced, streamed, form], response => Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType));
        var missing = await client.GetAsync(new Uri("/api/partners/too-large", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static HttpContent Json(HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
