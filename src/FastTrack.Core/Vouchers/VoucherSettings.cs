using FastTrack.Domain;
using FastTrack.Domain.Vouchers;

namespace FastTrack.Core.Vouchers;

/// <summary>Configuration section <c>Vouchers</c> (e.g. <c>Vouchers__MaxDocumentBytes</c>).</summary>
public sealed class VoucherSettings
{
    public const string Section = "Vouchers";

    /// <summary>The setting the Functions app's timer trigger reads its schedule from (<c>%Vouchers:SweepSchedule%</c>).</summary>
    public const string SweepScheduleSetting = Section + ":" + nameof(SweepSchedule);

    /// <summary>
    /// When <see cref="VoucherSweep"/> runs: six-field NCRONTAB, UTC. The rules are daily; hourly retries a failed run
    /// within the hour, and a run reads only what is due.
    /// </summary>
    public string SweepSchedule { get; set; } = "0 0 * * * *";

    /// <summary>The official SOW template ids, comma-separated (SPEC §9).</summary>
    public string SowTemplateIds { get; set; } = ProgramRules.DefaultSowTemplateId;

    /// <summary>The official POE template ids, comma-separated.</summary>
    public string PoeTemplateIds { get; set; } = ProgramRules.DefaultPoeTemplateId;

    /// <summary>The largest signed document taken, in bytes; a bigger upload is answered 413.</summary>
    public long MaxDocumentBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>The offer desk's time zone, for its 2-business-day review target.</summary>
    public string OfferDeskTimeZone { get; set; } = "UTC";

    /// <summary>The country whose holiday calendar (PUT /api/calendars/{country}) the offer desk keeps; none when empty.</summary>
    public string OfferDeskCountry { get; set; } = "";

    public VoucherOptions ToOptions() => new(Ids(SowTemplateIds), Ids(PoeTemplateIds));

    private static HashSet<string> Ids(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
