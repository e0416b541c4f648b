using System.Globalization;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Vouchers;

namespace FastTrack.Core.Vouchers;

/// <summary>
/// What is declared about a signed SOW or POE (API.md "Vouchers"): an upload's form fields, or a blob drop's path and
/// metadata, gathered as they are read, with the document staged from the same request. <see cref="Bind"/> makes the
/// submission, or lists every problem by field. An unchecked checkbox is not sent, so an absent flag is false; POE
/// fields on a SOW and the ECIF flag on a POE are not read, because the upload page's form sends them all.
/// </summary>
public sealed class RedemptionForm
{
    public const string KindField = "kind";
    public const string TemplateIdField = "templateId";
    public const string SignedByCustomerField = "signedByCustomer";
    public const string SignedByPartnerField = "signedByPartner";
    public const string EcifFundedField = "ecifFunded";
    public const string UsersDeployedField = "usersDeployed";
    public const string WorkloadsField = "workloads";
    public const string FileField = "file";

    /// <summary>Far above any real value; a longer one is a problem, and is not read further.</summary>
    public const int MaxValueLength = 1024;

    private readonly Dictionary<string, List<string>> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<RuleViolation> _problems = [];

    /// <summary>The document staged for this redemption, or why it was refused; null until a document is read.</summary>
    public StagedDocument? Document { get; set; }

    /// <summary>Names are matched without regard to case, so blob metadata (<c>templateid</c>) reads as the form field.</summary>
    public void Add(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxValueLength)
        {
            Problem(name, $"'{name}' is longer than {MaxValueLength} characters.");
            return;
        }

        if (!_values.TryGetValue(name, out var values))
        {
            _values[name] = values = [];
        }

        values.Add(value.Trim());
    }

    /// <summary>A problem found while reading, under the field it concerns (the code is the field's name).</summary>
    public void Problem(string field, string message) => _problems.Add(new(field, message));

    /// <summary>The submission, or every problem (code = field name); never both.</summary>
    public (RedemptionSubmission? Submission, IReadOnlyList<RuleViolation> Problems) Bind()
    {
        var kind = Single(KindField)?.ToLowerInvariant() switch
        {
            null => Problem<RedemptionKind?>(KindField, "Say which document this is: kind sow or poe."),
            "sow" => RedemptionKind.Sow,
            "poe" => RedemptionKind.Poe,
            var other => Problem<RedemptionKind?>(KindField, $"'{other}' is not a kind of document; use sow or poe."),
        };
        var templateId = Single(TemplateIdField) ?? Problem<string>(TemplateIdField, "Give the document's template id, such as SOW-2023.");
        var signedByCustomer = Flag(SignedByCustomerField);
        var signedByPartner = Flag(SignedByPartnerField);
        var ecifFunded = kind == RedemptionKind.Sow && Flag(EcifFundedField);
        var usersDeployed = kind == RedemptionKind.Poe ? WholeNumber(UsersDeployedField) : null;
        var workloads = kind == RedemptionKind.Poe ? Workloads() : new HashSet<Workload>();
        var document = Document switch
        {
            null => Problem<RedemptionDocument>(FileField, $"Attach the signed PDF as field '{FileField}'."),
            { Problem: { } problem } => Problem<RedemptionDocument>(FileField, problem.Message),
            { Document: var staged } => staged,
        };
        return _problems.Count > 0
            ? (null, _problems)
            : (new RedemptionSubmission(kind!.Value, templateId!, signedByCustomer, signedByPartner, ecifFunded, usersDeployed, workloads, document!), []);
    }

    private T? Problem<T>(string field, string message)
    {
        Problem(field, message);
        return default;
    }

    /// <summary>The field's one value, or null when absent or blank; a field given twice is a problem, not a guess.</summary>
    private string? Single(string field)
    {
        var values = _values.GetValueOrDefault(field) ?? [];
        if (values.Count > 1)
        {
            Problem(field, $"'{field}' was given {values.Count} times; give it once.");
            return null;
        }

        return values is [{ Length: > 0 } value] ? value : null;
    }

    private bool Flag(string field) => Single(field)?.ToLowerInvariant() switch
    {
        null or "false" => false,
        "true" or "on" => true,
        var other => Problem<bool>(field, $"'{other}' is not true or false."),
    };

    private int? WholeNumber(string field) => Single(field) switch
    {
        null => null,
        var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        var text => Problem<int?>(field, $"'{text}' is not a whole number."),
    };

    /// <summary>Repeated fields, comma-separated values, or both; matched by name only (Enum.TryParse would take "3").</summary>
    private HashSet<Workload> Workloads()
    {
        var workloads = new HashSet<Workload>();
        var names = (_values.GetValueOrDefault(WorkloadsField) ?? [])
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var name in names)
        {
            if (Enum.GetValues<Workload>().Cast<Workload?>().FirstOrDefault(w => w.ToString()!.Equals(name, StringComparison.OrdinalIgnoreCase)) is { } workload)
            {
                workloads.Add(workload);
            }
            else
            {
                Problem(WorkloadsField, $"'{name}' is not a workload; use the names of API.md, such as ExchangeOnline or Teams.");
            }
        }

        return workloads;
    }
}
