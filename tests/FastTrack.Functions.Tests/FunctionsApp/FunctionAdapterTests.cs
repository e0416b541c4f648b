using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using FastTrack.Core.Health;
using FastTrack.Core.Referrals;
using FastTrack.Core.Storage;
using FastTrack.Core.Vouchers;
using FastTrack.Functions.Functions;
using FastTrack.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static FastTrack.Functions.Tests.FunctionsApp.FunctionsHarness;

namespace FastTrack.Functions.Tests.FunctionsApp;

/// <summary>
/// Each function of the Functions app, called as the Functions host would call it, reaches the core: what it answers
/// or changes is the core's doing, on a real Azurite and a real Durable Task engine.
/// </summary>
public sealed class FunctionAdapterTests(FunctionsHarness harness) : IClassFixture<FunctionsHarness>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_partner_functions_store_read_list_and_pause_a_partner()
    {
        var partners = harness.Functions<PartnerFunctions>();
        var id = "adapter-" + Guid.NewGuid().ToString("N")[..8];

        var put = await AnswerAsync(Put($"/api/partners/{id}", SampleRequests.Partner(id)), request => partners.PutAsync(request, id, None));
        var get = await AnswerAsync(Get($"/api/partners/{id}"), request => partners.GetAsync(request, id, None));
        var list = await AnswerAsync(Get("/api/partners?pageSize=100"), request => partners.ListAsync(request, None));
        var pause = await AnswerAsync(
            Post($"/api/partners/{id}/pause", new JsonObject { ["until"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O") }),
            request => partners.PauseAsync(request, id, None));

        Assert.Equal(201, put.Status);
        Assert.Equal((200, id), (get.Status, Json(get.Body)["id"]!.GetValue<string>()));
        Assert.Contains(Json(list.Body)["items"]!.AsArray(), partner => (string)partner!["id"]! == id);
        Assert.Equal(200, pause.Status);
        Assert.NotNull(Json(pause.Body)["pausedUntil"]);
    }

    [Fact]
    public async Task The_customer_and_calendar_functions_store_and_read_what_operations_import()
    {
        var functions = harness.Functions<CustomerFunctions>();
        var tenant = Guid.NewGuid().ToString();

        var putCustomer = await AnswerAsync(Put($"/api/customers/{tenant}", SampleRequests.Customer("TP-1")), request => functions.PutCustomerAsync(request, tenant, None));
        var getCustomer = await AnswerAsync(Get($"/api/customers/{tenant}"), request => functions.GetCustomerAsync(request, tenant, None));
        var putCalendar = await AnswerAsync(
            Put("/api/calendars/NZ", new JsonObject { ["holidays"] = new JsonArray("2026-12-25") }), request => functions.PutCalendarAsync(request, "NZ", None));
        var getCalendar = await AnswerAsync(Get("/api/calendars/NZ"), request => functions.GetCalendarAsync(request, "NZ", None));

        Assert.Equal((201, 200), (putCustomer.Status, getCustomer.Status));
        Assert.Equal("TP-1", (string)Json(getCustomer.Body)["tpid"]!);
        Assert.True(putCalendar.Status is 200 or 201, putCalendar.Body);
        Assert.Contains("2026-12-25", getCalendar.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_heartbeat_timer_beats_and_the_health_function_reports_it_and_the_description_is_served()
    {
        var functions = harness.Functions<HealthFunctions>();

        await functions.BeatAsync(new TimerInfo(), None);
        var health = await AnswerAsync(Get("/api/health", key: null), request => functions.GetHealthAsync(request, None));
        var description = await AnswerAsync(Get("/openapi/v1.json", key: null), request => Task.FromResult(HealthFunctions.GetOpenApiDescription(request)));

        Assert.Equal(200, health.Status);
        Assert.NotNull(await Heartbeat.LastBeatAsync(harness.Services.GetRequiredService<TableServiceClient>().GetTableClient(Heartbeat.TableName), None));
        Assert.Equal(200, description.Status);
        Assert.StartsWith("3.", (string)Json(description.Body)["openapi"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_RFA_through_the_functions_runs_its_workflow_and_the_partner_accepts_through_the_link_functions()
    {
        var referrals = harness.Functions<ReferralFunctions>();
        var partner = "adapter-" + Guid.NewGuid().ToString("N")[..8];
        await AnswerAsync(Put($"/api/partners/{partner}", SampleRequests.Partner(partner)), request => harness.Functions<PartnerFunctions>().PutAsync(request, partner, None));
        var rfa = SampleRequests.Rfa(Guid.NewGuid().ToString());
        rfa["customer"]!["name"] = partner + " customer";

        var submitted = await AnswerAsync(
            harness.Request("POST", "/api/referrals", IntakeKey, rfa.ToJsonString()), request => referrals.SubmitAsync(request, harness.Workflows, None));
        var id = (string)Json(submitted.Body)["id"]!;
        var offer = await harness.MailAsync($"{partner}@partners.example", partner + " customer");
        var token = offer.Links.First(link => link.Contains("/api/links/", StringComparison.Ordinal)).Split("/api/links/")[1];
        var page = await AnswerAsync(Get($"/api/links/{token}", key: null), request => referrals.ShowLinkAsync(request, token, None));
        var accepted = await AnswerAsync(
            harness.Request("POST", $"/api/links/{token}", form: "action=accept"), request => referrals.ActOnLinkAsync(request, token, harness.Workflows, None));
        var referral = await AnswerAsync(Get($"/api/referrals/{id}"), request => referrals.GetAsync(request, id, None));
        var listed = await AnswerAsync(
            Get($"/api/referrals?partnerId={partner}&status=Active"), request => referrals.ListAsync(request, None));

        Assert.Equal(202, submitted.Status);
        Assert.Equal(200, page.Status);
        Assert.Contains("Accept", page.Body, StringComparison.Ordinal);
        Assert.Equal(200, accepted.Status);
        Assert.Equal("Active", (string)Json(referral.Body)["status"]!);
        Assert.Equal([id], Json(listed.Body)["items"]!.AsArray().Select(item => (string)item!["id"]!));
        await harness.MailAsync($"{partner}@partners.example", "Referral accepted");
    }

    [Fact]
    public async Task The_index_backfill_timer_runs_the_backfill_which_leaves_its_marker()
    {
        await harness.Functions<ReferralFunctions>().BackfillIndexAsync(new TimerInfo(), None);

        var marker = await harness.Services.GetRequiredService<TableServiceClient>().GetTableClient(ReferralIndex.TableName)
            .GetEntityIfExistsAsync<TableEntity>(ReferralIndexBackfill.MarkerPartition, ReferralIndexBackfill.MarkerRow);
        Assert.True(marker.HasValue);
    }

    [Fact]
    public async Task A_privacy_request_filed_through_the_function_is_carried_out_by_its_workflow_and_the_sweep_runs()
    {
        var privacy = harness.Functions<PrivacyFunctions>();
        var email = $"nobody-{Guid.NewGuid():N}@contoso.example";

        var filed = await AnswerAsync(
            Post("/api/privacy/requests", new JsonObject { ["kind"] = "Export", ["email"] = email }), request => privacy.FileAsync(request, harness.Workflows, None));
        var id = (string)Json(filed.Body)["id"]!;
        var status = "Received";
        for (var tries = 0; tries < 300 && status != "Completed"; tries++)
        {
            await Task.Delay(100);
            status = (string)Json((await AnswerAsync(Get($"/api/privacy/requests/{id}"), request => privacy.GetAsync(request, id, None))).Body)["status"]!;
        }

        await privacy.SweepAsync(new TimerInfo(), harness.Workflows, None);
        var open = await AnswerAsync(Get("/api/privacy/requests"), request => privacy.ListOpenAsync(request, None));

        Assert.Equal(202, filed.Status);
        Assert.Equal("Completed", status);
        Assert.Equal(200, open.Status);
        Assert.DoesNotContain(Json(open.Body).AsArray(), request => (string)request!["id"]! == id);
    }

    [Fact]
    public async Task The_voucher_functions_answer_from_the_core()
    {
        var vouchers = harness.Functions<VoucherFunctions>();

        var issue = await AnswerAsync(Post("/api/vouchers", new JsonObject()), request => vouchers.IssueAsync(request, None));
        var get = await AnswerAsync(Get("/api/vouchers/CSO-none"), request => vouchers.GetAsync(request, "CSO-none", None));
        var decide = await AnswerAsync(
            Post("/api/vouchers/CSO-none/redemptions/r1/decision", new JsonObject { ["approve"] = true }, OfferDeskKey),
            request => vouchers.DecideAsync(request, "CSO-none", "r1", None));
        var upload = await AnswerAsync(
            harness.Request("POST", "/api/vouchers/CSO-none/redemptions", OfferDeskKey, form: "kind=Sow"), request => vouchers.UploadAsync(request, "CSO-none", None));
        var overdue = await AnswerAsync(Get("/api/redemptions/overdue"), request => vouchers.OverdueAsync(request, None));
        await vouchers.SweepAsync(new TimerInfo(), None);
        await vouchers.DispatchAsync("{\"id\":\"CSO-none\"}", None);

        Assert.Equal(400, issue.Status);
        Assert.Contains("referralId", issue.Body, StringComparison.Ordinal);
        Assert.Equal((404, 404), (get.Status, decide.Status));
        Assert.Contains("CSO-none", get.Body, StringComparison.Ordinal);
        Assert.Equal(404, upload.Status);
        Assert.Equal((200, "[]"), (overdue.Status, overdue.Body));
    }

    [Fact]
    public async Task A_drop_the_blob_function_is_told_of_is_judged_by_the_core_and_a_bad_one_moved_aside()
    {
        var vouchers = harness.Functions<VoucherFunctions>();
        var blobs = harness.Services.GetRequiredService<BlobServiceClient>();
        var inbox = blobs.GetBlobContainerClient(RedemptionDrop.InboxContainer);
        await inbox.CreateIfNotExistsAsync();
        var name = $"not-a-voucher-{Guid.NewGuid():N}.pdf";
        var blob = inbox.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromString("%PDF-1.7"));

        await vouchers.DropAsync(blob, name, None);

        Assert.False(await blob.ExistsAsync());
        Assert.True(await blobs.GetBlobContainerClient(RedemptionDrop.RejectedContainer).GetBlobClient(name).ExistsAsync());
    }

    private HttpRequest Get(string path, string? key = OperationsKey) => harness.Request("GET", path, key);

    private HttpRequest Put(string path, JsonObject body) => harness.Request("PUT", path, OperationsKey, body.ToJsonString());

    private HttpRequest Post(string path, JsonObject body, string key = OperationsKey) => harness.Request("POST", path, key, body.ToJsonString());

    private static JsonNode Json(string body) => JsonNode.Parse(body) ?? throw new JsonException("An empty body.");
}
