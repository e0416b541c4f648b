namespace FastTrack.Core.Mail;

/// <summary>Who submitted the RFA; a Microsoft requestor is copied on the customer's assignment notice (SPEC §6).</summary>
public sealed record Requestor(string Name, string Email, bool IsMicrosoft);

/// <summary>The customer's contact person from the RFA (personal data, SPEC §10).</summary>
public sealed record CustomerContact(string Name, string Email, string? Phone);

/// <summary>What the RFA carries beyond what matching needs: people to write to, and the engagement notes.</summary>
public sealed record ReferralContacts(Requestor Requestor, CustomerContact Contact, string? Notes);
