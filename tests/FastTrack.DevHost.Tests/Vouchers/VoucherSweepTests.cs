using System.Globalization;
using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.Core.Vouchers;
using Xunit;
using static FastTrack.DevHost.Tests.Vouchers.VoucherTestKit;

namespace FastTrack.DevHost.Tests.Vouchers;

/// <summary>The expiry sweep on the app's clock: reminders 30 and 7 days ahead, expiry after day 180, nothing twice.</summary>
public sealed class VoucherSweepTests
{
    [Fact]
    public async Task Reminders_go_30_and_7_days_before_expiry_once_each_and_the_voucher_expires_after_its_180th_day()
    {
        await using var kit = await StartAsync();
        var voucher = await kit.IssuedAsync(await kit.ReferAsync("sweep"));
        var id = voucher.GetProperty("id").GetString()!;
        var expiresOn = DateOnly.Parse(voucher.GetProperty("expiresOn").GetString()!, CultureInfo.InvariantCulture);

        await MoveToAsync(kit, expiresOn.AddDays(-30), new TimeOnly(0, 0, 30));
        var reminder = await kit.Referrals.WaitForMailAsync(PartnerMail, "Voucher expires in 30 days");
        Assert.Equal([FpmMail], reminder.GetProperty("cc").EnumerateArray().Select(a => a.GetString()));
        await MoveToAsync(kit, expiresOn.AddDays(-30), new TimeOnly(5, 0, 30));
        Assert.Single(await kit.MailsAsync(PartnerMail, "Voucher expires in 30 days"));

        await MoveToAsync(kit, expiresOn.AddDays(-7), new TimeOnly(0, 0, 30));
        await kit.Referrals.WaitForMailAsync(PartnerMail, "Voucher expires in 7 days");

        await MoveToAsync(kit, expiresOn, new TimeOnly(23, 0, 30));
        Assert.Equal("Issued", (await kit.GetAsync(id)).GetProperty("status").GetString());
        Assert.Empty(await kit.MailsAsync(PartnerMail, "Voucher expired"));

        await MoveToAsync(kit, expiresOn.AddDays(1), new TimeOnly(0, 0, 30));
        await kit.Referrals.WaitForMailAsync(PartnerMail, "Voucher expired");
        Assert.Equal("Expired", (await kit.GetAsync(id)).GetProperty("status").GetString());
        Assert.Single(await kit.MailsAsync(PartnerMail, "Voucher expires in 7 days"));
        Assert.Equal(0, await kit.Referrals.CountRowsAsync(VoucherCalendar.TableName));
        Assert.Contains(await kit.WaitForEventsAsync(id, "voucher.expired"), e => e.Type == "voucher.expired");
    }

    [Fact]
    public async Task A_sweep_that_stopped_before_clearing_its_task_sends_nothing_twice_when_it_runs_again()
    {
        await using var kit = await StartAsync();
        var voucher = await kit.IssuedAsync(await kit.ReferAsync("crash"));
        var id = voucher.GetProperty("id").GetString()!;
        var reminderDay = DateOnly.Parse(voucher.GetProperty("expiresOn").GetString()!, CultureInfo.InvariantCulture).AddDays(-30);
        await MoveToAsync(kit, reminderDay, new TimeOnly(0, 0, 30));
        await kit.Referrals.WaitForMailAsync(PartnerMail, "Voucher expires in 30 days");

        // What a crash between the voucher's commit and the task's deletion leaves behind: the task, still due.
        var calendar = new TableClient(kit.Referrals.Storage, VoucherCalendar.TableName);
        await calendar.AddEntityAsync(new TableEntity(reminderDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"{id}|Reminder"));
        await MoveToAsync(kit, reminderDay, new TimeOnly(1, 0, 30));

        Assert.Single(await kit.MailsAsync(PartnerMail, "Voucher expires in 30 days"));
        Assert.Equal(2, await kit.Referrals.CountRowsAsync(VoucherCalendar.TableName)); // the 7-day reminder and the expiry
    }

    [Fact]
    public async Task A_poe_submitted_but_not_approved_by_the_expiry_date_does_not_save_the_voucher()
    {
        await using var kit = await StartAsync();
        var voucher = await kit.IssuedAsync(await kit.ReferAsync("late-poe"));
        var id = voucher.GetProperty("id").GetString()!;
        var expiresOn = DateOnly.Parse(voucher.GetProperty("expiresOn").GetString()!, CultureInfo.InvariantCulture);
        await kit.DecideAsync(id, await kit.SubmitSowAsync(id), approve: true);
        var poe = await kit.SubmitPoeAsync(id, usersDeployed: 400);

        await MoveToAsync(kit, expiresOn.AddDays(1), new TimeOnly(0, 0, 30));
        await kit.Referrals.WaitForMailAsync(PartnerMail, "Voucher expired");
        var approveLate = await kit.DecideAsync(id, poe, approve: true);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, approveLate.StatusCode);
        var current = await kit.GetAsync(id);
        Assert.Equal("Expired", current.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, current.GetProperty("payout").ValueKind);
    }

    /// <summary>Moves the app clock to a time of day and waits until the timers due by then have run.</summary>
    private static async Task MoveToAsync(VoucherTestKit kit, DateOnly day, TimeOnly time)
    {
        var before = await kit.Referrals.HeartbeatAsync();
        await kit.Referrals.SetClockAsync(new DateTimeOffset(day.ToDateTime(time), TimeSpan.Zero));
        await kit.Referrals.TimersHaveRunAsync(before);
    }
}
