namespace FastTrack.Domain.Privacy;

public enum PrivacyRequestKind
{
    Export,
    Erase,
}

public enum PrivacyRequestStatus
{
    Received,
    Completed,
}

/// <summary>A data subject's request about customer contact data (SPEC §10); it must complete within 30 days.</summary>
public sealed record PrivacyRequest(
    string Id,
    PrivacyRequestKind Kind,
    string Email,
    DateTimeOffset ReceivedAt,
    PrivacyRequestStatus Status,
    DateTimeOffset? CompletedAt = null)
{
    public DateTimeOffset DueBy => ReceivedAt.AddDays(ProgramRules.PrivacyRequestDays);

    /// <summary>A new request; the email is trimmed and lower-cased so every record holding it is found.</summary>
    public static PrivacyRequest Receive(string id, PrivacyRequestKind kind, string email, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(email);
        return new PrivacyRequest(id, kind, PersonalData.NormalizeEmail(email), now, PrivacyRequestStatus.Received);
    }

    /// <summary>Still open after its due time.</summary>
    public bool IsOverdue(DateTimeOffset now) => Status == PrivacyRequestStatus.Received && now > DueBy;

    /// <summary>Done; completing twice keeps the first completion time.</summary>
    public PrivacyRequest Complete(DateTimeOffset now) =>
        Status == PrivacyRequestStatus.Completed ? this : this with { Status = PrivacyRequestStatus.Completed, CompletedAt = now };
}
