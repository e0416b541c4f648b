using System.Globalization;
using FastTrack.Domain.Catalog;
using FastTrack.Domain.Referrals;

namespace FastTrack.Core.Links;

/// <summary>What a partner asked for by pressing a button on a link page (API.md "Partner links" form fields).</summary>
public abstract record LinkAction
{
    public const string ActionField = "action";
    public const string ReasonField = "reason";
    public const string NotesField = "notes";
    public const string ValueAddedServicesSoldField = "valueAddedServicesSold";
    public const string EstimatedValueField = "estimatedValue";
    public const string CurrencyField = "currency";

    public const string AcceptName = "accept";
    public const string DeclineName = "decline";
    public const string CompleteName = "complete";

    /// <summary>Notes end up in the referral's history row; this keeps a row well inside a table property's 32K characters.</summary>
    public const int MaxNotesLength = 4000;

    private LinkAction()
    {
    }

    /// <summary>The actions a link of this purpose allows, whatever the part's state (API.md).</summary>
    public static IReadOnlyList<string> AllowedBy(LinkPurpose purpose) => purpose switch
    {
        LinkPurpose.Respond => [AcceptName, DeclineName],
        LinkPurpose.Engagement => [CompleteName, DeclineName],
        _ => [],
    };

    /// <summary>
    /// The actions worth offering as buttons now: those the link allows that the part's state can still take. The
    /// decider decides in the end; this only spares the partner buttons that could only be refused.
    /// </summary>
    public static IReadOnlyList<string> Offered(LinkPurpose purpose, PartStatus status) =>
        AllowedBy(purpose).Where(name => name switch
        {
            AcceptName => status == PartStatus.Offered,
            CompleteName => status == PartStatus.Active,
            _ => status is PartStatus.Offered or PartStatus.Active,
        }).ToList();

    /// <summary>Reads the POSTed form for a link of <paramref name="purpose"/>, listing every problem found.</summary>
    public static LinkActionBinding Bind(IFormCollection form, LinkPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new Errors();
        var allowed = AllowedBy(purpose);
        var name = errors.Required(form, ActionField, allowed.Count == 0
            ? "This link does not take actions."
            : $"Choose an action: {string.Join(" or ", allowed)}.")?.ToLowerInvariant();
        if (name is not (null or AcceptName or DeclineName or CompleteName))
        {
            errors.Add(ActionField, $"'{name}' is not an action; use {string.Join(" or ", allowed.DefaultIfEmpty("none"))}.");
        }
        else if (name is not null && !allowed.Contains(name))
        {
            errors.Add(ActionField, allowed.Count == 0
                ? $"This link does not allow {name}."
                : $"This link does not allow {name}; it allows {string.Join(" and ", allowed)}.");
        }

        // The action's own fields are read only once the action is known and allowed: they depend on it.
        LinkAction? action = errors.Count > 0 ? null : name switch
        {
            AcceptName => new Accept(),
            DeclineName => BindDecline(form, errors),
            _ => BindComplete(form, errors),
        };
        return new LinkActionBinding(errors.Count == 0 ? action : null, errors.ToDictionary());
    }

    /// <summary>The referral command this action asks for, addressed with the link's signed part, attempt and partner.</summary>
    public abstract ReferralCommand ToCommand(AssignmentLinkClaims claims);

    private static Decline BindDecline(IFormCollection form, Errors errors)
    {
        var reasonText = errors.Required(form, ReasonField, "Choose a reason for declining.");
        // Matched by name only: Enum.TryParse would also take "3" or "Other,Other".
        DeclineReason? reason = reasonText is null ? null
            : Enum.GetValues<DeclineReason>().Cast<DeclineReason?>()
                .FirstOrDefault(r => r.ToString()!.Equals(reasonText, StringComparison.OrdinalIgnoreCase));
        if (reasonText is not null && reason is null)
        {
            errors.Add(ReasonField, $"'{reasonText}' is not a decline reason.");
        }

        var notes = ReadNotes(form, errors);
        if (reason is { } r && DeclineReasons.RequiresNotes(r) && notes is null)
        {
            errors.Add(NotesField, $"Declining with {r} needs notes saying why.");
        }

        return new Decline(reason ?? default, notes);
    }

    private static Complete BindComplete(IFormCollection form, Errors errors)
    {
        var sold = errors.Required(form, ValueAddedServicesSoldField, "Say whether value-added services were sold (true or false).");
        bool? valueAddedServicesSold = sold?.ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => null,
        };
        if (sold is not null && valueAddedServicesSold is null)
        {
            errors.Add(ValueAddedServicesSoldField, $"'{sold}' is not true or false.");
        }

        var valueText = errors.Required(form, EstimatedValueField, "Give the estimated value (0 if none).");
        decimal? value = null;
        if (valueText is not null)
        {
            if (!decimal.TryParse(valueText, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            {
                errors.Add(EstimatedValueField, $"'{valueText}' is not a number (write it like 12500.50).");
            }
            else if (parsed < 0)
            {
                errors.Add(EstimatedValueField, "The estimated value cannot be negative.");
            }
            else
            {
                value = parsed;
            }
        }

        var currency = errors.Required(form, CurrencyField, "Give the currency of the estimated value (an ISO 4217 code such as USD).")
            ?.ToUpperInvariant();
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper)))
        {
            errors.Add(CurrencyField, $"'{currency}' is not a three-letter currency code such as USD.");
        }

        return new Complete(valueAddedServicesSold ?? false, value ?? 0, currency ?? "", ReadNotes(form, errors));
    }

    private static string? ReadNotes(IFormCollection form, Errors errors)
    {
        var notes = errors.Optional(form, NotesField);
        if (notes?.Length > MaxNotesLength)
        {
            errors.Add(NotesField, $"Notes are limited to {MaxNotesLength} characters; these have {notes.Length}.");
        }

        return string.IsNullOrEmpty(notes) ? null : notes;
    }

    /// <summary>Accept the offered part.</summary>
    public sealed record Accept : LinkAction
    {
        public override ReferralCommand ToCommand(AssignmentLinkClaims claims)
        {
            ArgumentNullException.ThrowIfNull(claims);
            return new Domain.Referrals.Accept(claims.PartId, claims.Attempt, claims.PartnerId);
        }
    }

    /// <summary>Decline, with a reason from the catalogue; refused reasons go through too, for the decider to refuse.</summary>
    public sealed record Decline(DeclineReason Reason, string? Notes) : LinkAction
    {
        public override ReferralCommand ToCommand(AssignmentLinkClaims claims)
        {
            ArgumentNullException.ThrowIfNull(claims);
            return new Domain.Referrals.Decline(claims.PartId, claims.Attempt, claims.PartnerId, Reason, Notes);
        }
    }

    /// <summary>Mark the engagement complete (SPEC §6).</summary>
    public sealed record Complete(bool ValueAddedServicesSold, decimal EstimatedValue, string Currency, string? Notes) : LinkAction
    {
        public override ReferralCommand ToCommand(AssignmentLinkClaims claims)
        {
            ArgumentNullException.ThrowIfNull(claims);
            return new Domain.Referrals.Complete(
                claims.PartId, claims.Attempt, claims.PartnerId, ValueAddedServicesSold, EstimatedValue, Currency, Notes);
        }
    }

    /// <summary>Field → messages, in the order found.</summary>
    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> byField = new(StringComparer.Ordinal);

        public int Count => byField.Count;

        public void Add(string field, string message)
        {
            if (!byField.TryGetValue(field, out var messages))
            {
                byField[field] = messages = [];
            }

            messages.Add(message);
        }

        /// <summary>The field's one trimmed value; null, with <paramref name="whenMissing"/> recorded, when absent or blank.</summary>
        public string? Required(IFormCollection form, string field, string whenMissing)
        {
            var value = Optional(form, field);
            if (string.IsNullOrEmpty(value) && !byField.ContainsKey(field))
            {
                Add(field, whenMissing);
            }

            return string.IsNullOrEmpty(value) ? null : value;
        }

        /// <summary>The field's one trimmed value, or null when absent; a field given twice is a problem, not a guess.</summary>
        public string? Optional(IFormCollection form, string field)
        {
            if (!form.TryGetValue(field, out var values) || values.Count == 0)
            {
                return null;
            }

            if (values.Count > 1)
            {
                Add(field, $"'{field}' was given {values.Count} times; give it once.");
                return null;
            }

            return values[0]?.Trim();
        }

        public Dictionary<string, string[]> ToDictionary() =>
            byField.ToDictionary(entry => entry.Key, entry => entry.Value.ToArray(), StringComparer.Ordinal);
    }
}

/// <summary>The bound action, or every problem with the form, by field (as in a validation problem).</summary>
public sealed record LinkActionBinding(LinkAction? Action, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Succeeded => Action is not null;
}
