using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using FastTrack.Core.Http;
using FastTrack.Core.Storage;
using FastTrack.Core.Mail;
using FastTrack.Core.Privacy;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.DevHost.Tests.Referrals;
using FastTrack.DevHost.Triggers;
using FastTrack.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.DurableTask.Client;
using FastTrack.Domain.Privacy;
using Xunit;

namespace FastTrack.DevHost.Tests.Privacy;

/// <summary>Personal data requests (SPEC §10) on the real app and its own Azurite, checked by reading the storage itself.</summary>
public sealed class PrivacyRequestTests
{
    private const string Name = "Casey Customer";
    private const string Email = "casey@contoso.example";
    private const string Phone = "+1 555 0100";
    private static readonly Uri Requests = new("/api/privacy/requests", UriKind.Relative);

    [Fact]
    public async Task An_erasure_leaves_no_trace_of_the_contact_in_storage_or_kept_emails_and_the_history_still_reads()
    {
        await using var kit = await ReferralTestKit.StartAsync(
            settings: null, services => services.AddSingleton<IRetainedDocuments, SignedVoucherDocuments>());
        var id = await AcceptedAfterADeclineAsync(kit);
        var robin = SampleRequests.Rfa("someone-else");
        robin["contact"] = new JsonObject { ["name"] = "Robin Other", ["email"] = "robin@fabrikam.example" };
        await kit.SubmitAsync(robin);
        var before = await kit.GetReferralAsync(id);
        Assert.NotEmpty(await StorageScan.FindAsync(kit.Storage, Name, Email, Phone));

        var export = await CompletedAsync(kit, await FileAsync(kit, "Export", " Casey@Contoso.example "));
        var erasure = await CompletedAsync(kit, await FileAsync(kit, "Erase", Email));

        Assert.Empty(await StorageScan.FindAsync(kit.Storage, Name, Email, Phone));
        Assert.NotEmpty(await StorageScan.FindAsync(kit.Storage, "robin@fabrikam.example"));

        // The lists' index was among what the scan read, and the lists still find the referral through it.
        Assert.NotEmpty(await kit.RowsAsync(FastTrack.Core.Referrals.ReferralIndex.TableName, $"ReferralId eq '{id}'"));
        var listed = await kit.Operations.GetStringAsync(new Uri("/api/referrals?status=Active", UriKind.Relative));
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, listed, StringComparison.OrdinalIgnoreCase);
        var result = erasure.GetProperty("erasure");
        Assert.Equal([id], result.GetProperty("referrals").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(4, result.GetProperty("emailsDeleted").GetInt32());
        Assert.Equal(1, result.GetProperty("exportsDeleted").GetInt32());
        Assert.Equal($"poe-{id}", result.GetProperty("retainedDocuments")[0].GetProperty("id").GetString());

        var after = await kit.GetReferralAsync(id);
        Assert.Equal("[erased]", after.GetProperty("contact").GetProperty("name").GetString());
        Assert.Equal("[erased]", after.GetProperty("contact").GetProperty("email").GetString());
        Assert.Equal("[erased]", after.GetProperty("contact").GetProperty("phone").GetString());
        Assert.Equal("Call [erased] on [erased] before noon.", after.GetProperty("notes").GetString());
        Assert.Equal("Active", after.GetProperty("status").GetString());
        Assert.Equal(before.GetProperty("parts").GetRawText(), after.GetProperty("parts").GetRawText());
        Assert.Equal(
            before.GetProperty("history").EnumerateArray().Select(h => (h.GetProperty("kind").GetString(), h.GetProperty("at").GetString())),
            after.GetProperty("history").EnumerateArray().Select(h => (h.GetProperty("kind").GetString(), h.GetProperty("at").GetString())));
        var decline = after.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("kind").GetString() == "Declined");
        Assert.Equal("[erased] asked for an on-site team.", decline.GetProperty("details").GetString());

        var earlierExport = await GetAsync(kit, export.GetProperty("id").GetString()!);
        Assert.True(earlierExport.GetProperty("exportErased").GetBoolean());
        Assert.Equal(JsonValueKind.Null, earlierExport.GetProperty("export").ValueKind);
        var exportAfter = (await CompletedAsync(kit, await FileAsync(kit, "Export", Email))).GetProperty("export");
        Assert.Empty(exportAfter.GetProperty("referrals").EnumerateArray());
        Assert.Empty(exportAfter.GetProperty("emails").EnumerateArray());

        var again = (await CompletedAsync(kit, await FileAsync(kit, "Erase", Email))).GetProperty("erasure");
        Assert.Empty(again.GetProperty("referrals").EnumerateArray());
        Assert.Equal(0, again.GetProperty("emailsDeleted").GetInt32());
        Assert.Equal(after.GetRawText(), (await kit.GetReferralAsync(id)).GetRawText());
    }

    [Fact]
    public async Task An_export_returns_every_personal_field_held_about_the_contact_and_the_emails_kept_about_them()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        var id = await AcceptedAfterADeclineAsync(kit);

        var export = (await CompletedAsync(kit, await FileAsync(kit, "Export", Email))).GetProperty("export");

        var referral = Assert.Single(export.GetProperty("referrals").EnumerateArray());
        Assert.Equal(id, referral.GetProperty("referralId").GetString());
        Assert.Equal(
            (Name, Email, Phone),
            (referral.GetProperty("contact").GetProperty("name").GetString(),
             referral.GetProperty("contact").GetProperty("email").GetString(),
             referral.GetProperty("contact").GetProperty("phone").GetString()));
        Assert.Equal(JsonValueKind.Null, referral.GetProperty("requestor").ValueKind);
        Assert.Equal(
            ["Call Casey Customer on +1 555 0100 before noon.", "Casey Customer asked for an on-site team."],
            referral.GetProperty("mentions").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        var subjects = export.GetProperty("emails").EnumerateArray().Select(m => m.GetProperty("subject").GetString()!).ToList();
        Assert.Equal(4, subjects.Count);
        Assert.Equal(2, subjects.Count(subject => subject.StartsWith("New Standard referral: Contoso", StringComparison.Ordinal)));
        Assert.Contains("Referral accepted: Contoso", subjects);
        Assert.Contains(ReferralEmails.CustomerNoticeSubject, subjects);
    }

    [Fact]
    public async Task No_email_goes_to_an_erased_address_and_an_erased_requestor_is_no_longer_copied()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        await kit.PutPartnerAsync("only");
        var casey = await kit.SubmitAsync(SampleRequests.Rfa("casey"));
        var robin = SampleRequests.Rfa("robin");
        robin["contact"] = new JsonObject { ["name"] = "Robin Other", ["email"] = "robin@fabrikam.example" };
        var robinId = await kit.SubmitAsync(robin);
        var offers = await Eventually.Returns(
            async () => (await kit.MailboxAsync()).Where(m => m.GetProperty("subject").GetString()!.StartsWith("New ", StringComparison.Ordinal)).ToList(),
            found => found.Count == 2);

        var requestor = (await CompletedAsync(kit, await FileAsync(kit, "Erase", "sam@microsoft.example"))).GetProperty("erasure");
        await CompletedAsync(kit, await FileAsync(kit, "Erase", Email));
        foreach (var offer in offers)
        {
            await kit.ActAsync(ReferralTestKit.LinkIn(offer), "accept");
        }

        // A workflow shows Active once the step that performed the acceptance's effects (the notice among them) is done.
        foreach (var id in new[] { casey, robinId })
        {
            await Eventually.Returns(() => kit.WorkflowAsync(id), workflow => workflow.ReadCustomStatusAs<string>() == "Active");
        }

        Assert.Equal(2, requestor.GetProperty("referrals").GetArrayLength());
        var notice = Assert.Single(await kit.MailboxAsync(), m => m.GetProperty("subject").GetString() == ReferralEmails.CustomerNoticeSubject);
        Assert.Equal(["robin@fabrikam.example"], notice.GetProperty("to").EnumerateArray().Select(a => a.GetString()));
        Assert.Empty(notice.GetProperty("cc").EnumerateArray());
        Assert.Equal("[erased]", (await kit.GetReferralAsync(casey)).GetProperty("requestor").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Referrals_stored_before_the_contact_index_existed_are_found_by_a_one_off_scan()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        var id = await kit.SubmitAsync(SampleRequests.Rfa("before-the-index"));
        var index = new TableClient(kit.Storage, ContactIndex.TableName);
        await foreach (var row in index.QueryAsync<TableEntity>())
        {
            await index.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        var export = (await CompletedAsync(kit, await FileAsync(kit, "Export", Email))).GetProperty("export");

        Assert.Equal(id, Assert.Single(export.GetProperty("referrals").EnumerateArray()).GetProperty("referralId").GetString());
    }

    [Fact]
    public async Task An_overdue_request_whose_workflow_never_started_is_listed_warned_about_and_started_by_the_sweep()
    {
        var logs = new LogCapture();
        await using var kit = await ReferralTestKit.StartAsync(
            new Dictionary<string, string?> { ["Triggers:RunLocally"] = "false" },
            services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
        // Filed, and the app stopped before it started the request's workflow.
        var filed = PrivacyRequest.Receive("never-started", PrivacyRequestKind.Export, Email, DateTimeOffset.UtcNow);
        await kit.App.Services.GetRequiredService<PrivacyRequests>().AddAsync(filed, CancellationToken.None);
        Assert.Empty(await ListAsync(kit, overdueOnly: true));
        Assert.Equal([filed.Id], (await ListAsync(kit, overdueOnly: false)).Select(r => r.GetProperty("id").GetString()));

        await kit.SetClockAsync(filed.DueBy.AddDays(1));
        var overdue = Assert.Single(await ListAsync(kit, overdueOnly: true));
        await SweepAsync(kit);

        Assert.Equal((filed.Id, true, filed.DueBy), (overdue.GetProperty("id").GetString(), overdue.GetProperty("overdue").GetBoolean(), overdue.GetProperty("dueBy").GetDateTimeOffset()));
        Assert.Contains(logs.Warnings, line => line.Contains(filed.Id, StringComparison.Ordinal) && line.Contains("overdue", StringComparison.Ordinal));
        await Eventually.Returns(() => GetAsync(kit, filed.Id), request => request.GetProperty("status").GetString() == "Completed");
    }

    [Fact]
    public async Task A_request_with_bad_input_is_400_listing_every_problem_and_stores_nothing()
    {
        await using var kit = await ReferralTestKit.StartAsync();

        var response = await kit.Operations.PostAsJsonAsync(Requests, new { kind = "Forget", email = "not an address" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["email", "kind"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(0, await kit.CountRowsAsync(PrivacyRequests.TableName));
        var missing = await kit.Operations.PostAsJsonAsync(Requests, new { });
        Assert.Equal(
            ["email", "kind"],
            (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public async Task Requests_need_the_operations_key()
    {
        await using var kit = await ReferralTestKit.StartAsync();
        var body = new { kind = "Export", email = Email };

        Assert.Equal(HttpStatusCode.Unauthorized, (await kit.Anonymous.PostAsJsonAsync(Requests, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kit.Intake.PostAsJsonAsync(Requests, body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await kit.Anonymous.GetAsync(new Uri("/api/privacy/requests/x", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kit.Intake.GetAsync(Requests)).StatusCode);
        Assert.Equal(0, await kit.CountRowsAsync(PrivacyRequests.TableName));
    }

    /// <summary>
    /// Casey's RFA, whose notes name them; the first partner declines naming them too, the second accepts, so Casey's
    /// data is in the RFA, the history, the acceptance confirmation and the customer notice.
    /// </summary>
    private static async Task<string> AcceptedAfterADeclineAsync(ReferralTestKit kit)
    {
        await kit.PutPartnerAsync("first");
        await kit.PutPartnerAsync("second");
        var rfa = SampleRequests.Rfa("casey");
        rfa["notes"] = $"Call {Name} on {Phone} before noon.";
        var id = await kit.SubmitAsync(rfa);
        var offered = ReferralTestKit.Part(await kit.GetReferralAsync(id), "p1").GetProperty("partnerId").GetString()!;
        var other = offered == "first" ? "second" : "first";
        var offer = await kit.WaitForMailAsync($"{offered}@partners.example", "New ");
        await kit.ActAsync(ReferralTestKit.LinkIn(offer), "decline", ("reason", "Other"), ("notes", $"{Name} asked for an on-site team."));
        var second = await kit.WaitForMailAsync($"{other}@partners.example", "New ");
        await kit.ActAsync(ReferralTestKit.LinkIn(second), "accept");
        await kit.WaitForMailAsync($"{other}@partners.example", "accepted");
        await kit.WaitForMailAsync(Email, "Assignment");
        return id;
    }

    private static async Task<JsonElement> FileAsync(ReferralTestKit kit, string kind, string email)
    {
        var response = await kit.Operations.PostAsJsonAsync(Requests, new { kind, email });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var filed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Received", filed.GetProperty("status").GetString());
        return filed;
    }

    private static async Task<JsonElement> GetAsync(ReferralTestKit kit, string id) =>
        await kit.Operations.GetFromJsonAsync<JsonElement>(new Uri($"/api/privacy/requests/{id}", UriKind.Relative));

    private static Task<JsonElement> CompletedAsync(ReferralTestKit kit, JsonElement filed) =>
        Eventually.Returns(
            () => GetAsync(kit, filed.GetProperty("id").GetString()!),
            request => request.GetProperty("status").GetString() == "Completed");

    private static async Task<IReadOnlyList<JsonElement>> ListAsync(ReferralTestKit kit, bool overdueOnly) =>
        [.. (await kit.Operations.GetFromJsonAsync<JsonElement>(new Uri($"/api/privacy/requests?overdue={overdueOnly}", UriKind.Relative))).EnumerateArray()];

    private static Task SweepAsync(ReferralTestKit kit) =>
        kit.App.Services.GetRequiredService<PrivacySweep>().RunAsync(
            kit.App.Services.GetRequiredService<DurableTaskClient>(), CancellationToken.None);

    /// <summary>Stands in for the vouchers' signed SOW and Proof of Execution, which an erasure keeps and lists.</summary>
    private sealed class SignedVoucherDocuments : IRetainedDocuments
    {
        public Task<IReadOnlyList<RetainedDocument>> FindAsync(IReadOnlyList<string> referralIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<RetainedDocument>>(
                [.. referralIds.Select(id => new RetainedDocument("ProofOfExecution", $"poe-{id}", id, "Signed document kept under contract."))]);
    }
}
