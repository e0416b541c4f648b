using FastTrack.Domain.Privacy;
using FastTrack.Domain.Referrals;
using Xunit;
using static FastTrack.Domain.Tests.Partners;

namespace FastTrack.Domain.Tests.Privacy;

public class PersonalDataTests
{
    private static readonly PersonalData Al = new(["Al Bo", "al@contoso.example", "+1 555 0100", null, " "]);

    [Theory]
    [InlineData("Call Al Bo on +1 555 0100.", "Call [erased] on [erased].")]
    [InlineData("AL BO wrote from Al@Contoso.example", "[erased] wrote from [erased]")]
    [InlineData("Also Albo and Al Boston stay", "Also Albo and Al Boston stay")]
    [InlineData("", "")]
    public void Free_text_loses_each_whole_occurrence_of_the_persons_values_and_keeps_every_other_word(string text, string redacted)
    {
        Assert.Equal(redacted, Al.Redact(text));
        Assert.Equal(text != redacted, Al.IsMentionedIn(text));
    }

    [Fact]
    public void A_longer_value_is_replaced_whole_before_a_shorter_one_inside_it()
    {
        var person = new PersonalData(["Al", "Al Bo"]);

        Assert.Equal("[erased] came", person.Redact("Al Bo came"));
    }

    [Fact]
    public void Nothing_to_look_for_leaves_text_as_it_is_and_an_erased_marker_is_not_a_value()
    {
        var nobody = new PersonalData([PersonalData.Erased, null]);

        Assert.Equal("[erased] and Al", nobody.Redact("[erased] and Al"));
        Assert.False(nobody.IsMentionedIn("[erased]"));
    }

    [Fact]
    public void History_keeps_its_kind_time_and_actor_and_loses_the_person_from_its_text()
    {
        var entry = new HistoryEntry(Now, HistoryKind.Declined, "partner:p", "p", "p1", "Other", "Al Bo asked for on-site.");

        Assert.Equal(entry with { Details = "[erased] asked for on-site." }, Al.Redact(entry));
    }

    [Fact]
    public void A_referral_loses_the_person_from_its_completion_notes_only()
    {
        var completed = new AssignmentPart("p1", new HashSet<Catalog.Workload>(), PartStatus.Completed, "p", 1, Now, null, new HashSet<string>(),
            new Completion(true, 10m, "USD", "Thanks to Al Bo.", Now));
        var open = completed with { Id = "p2", Status = PartStatus.Active, Completion = null };
        var referral = Referral.Received("r1", Partners.Request()) with { Parts = [completed, open] };

        var redacted = Al.Redact(referral);

        Assert.Equal("Thanks to [erased].", redacted.Parts[0].Completion!.Notes);
        Assert.Equal(completed with { Completion = completed.Completion! with { Notes = "Thanks to [erased]." } }, redacted.Parts[0]);
        Assert.Same(open, redacted.Parts[1]);
        Assert.Equal(referral.Request, redacted.Request);
    }

    [Fact]
    public void The_email_key_is_the_same_for_every_spelling_of_an_address_and_does_not_hold_it()
    {
        var key = PersonalData.EmailKey("al@contoso.example");

        Assert.Equal(key, PersonalData.EmailKey("  AL@Contoso.Example "));
        Assert.NotEqual(key, PersonalData.EmailKey("al@contoso.example2"));
        Assert.Equal(64, key.Length);
        Assert.DoesNotContain("contoso", key, StringComparison.Ordinal);
        Assert.True(PersonalData.SameEmail("Al@Contoso.example", " al@contoso.example"));
        Assert.False(PersonalData.SameEmail(PersonalData.Erased, PersonalData.Erased));
    }
}
