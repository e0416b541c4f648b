using FastTrack.Domain.Catalog;
using FastTrack.Domain.Referrals;
using FastTrack.Core.Links;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Xunit;

namespace FastTrack.DevHost.Tests.Links;

public sealed class LinkActionTests
{
    private static readonly AssignmentLinkClaims Claims =
        new(LinkPurpose.Engagement, "r1", "p2", 4, "contoso", DateTimeOffset.UnixEpoch.AddYears(60));

    private static FormCollection Form(params (string Field, string Value)[] fields) =>
        new(fields.GroupBy(f => f.Field).ToDictionary(g => g.Key, g => new StringValues(g.Select(f => f.Value).ToArray())));

    [Fact]
    public void Accept_binds_to_an_accept_command_for_the_signed_part_attempt_and_partner()
    {
        var binding = LinkAction.Bind(Form(("action", "accept")), LinkPurpose.Respond);

        Assert.True(binding.Succeeded);
        Assert.Empty(binding.Errors);
        Assert.Equal(new Accept("p2", 4, "contoso"), binding.Action!.ToCommand(Claims));
    }

    [Fact]
    public void Decline_binds_reason_and_trimmed_notes()
    {
        var binding = LinkAction.Bind(Form(("action", "Decline"), ("reason", "other"), ("notes", "  no staff in Lyon ")), LinkPurpose.Respond);

        Assert.Equal(new LinkAction.Decline(DeclineReason.Other, "no staff in Lyon"), binding.Action);
        Assert.Equal(new Decline("p2", 4, "contoso", DeclineReason.Other, "no staff in Lyon"), binding.Action!.ToCommand(Claims));
    }

    [Fact]
    public void A_refused_reason_still_binds_so_the_workflow_can_refuse_it_with_the_documented_text()
    {
        var binding = LinkAction.Bind(Form(("action", "decline"), ("reason", "CustomerPrefersFastTrackCenter")), LinkPurpose.Engagement);

        Assert.Equal(new LinkAction.Decline(DeclineReason.CustomerPrefersFastTrackCenter, null), binding.Action);
    }

    [Fact]
    public void Complete_binds_every_field()
    {
        var binding = LinkAction.Bind(
            Form(("action", "complete"), ("valueAddedServicesSold", "True"), ("estimatedValue", "12500.50"), ("currency", "eur"), ("notes", "")),
            LinkPurpose.Engagement);

        Assert.Equal(new LinkAction.Complete(true, 12500.50m, "EUR", null), binding.Action);
        Assert.Equal(new Complete("p2", 4, "contoso", true, 12500.50m, "EUR", null), binding.Action!.ToCommand(Claims));
    }

    [Fact]
    public void A_complete_form_with_everything_wrong_lists_every_problem()
    {
        var binding = LinkAction.Bind(
            Form(("action", "complete"), ("valueAddedServicesSold", "maybe"), ("estimatedValue", "-3"), ("currency", "EURO"), ("notes", new string('n', LinkAction.MaxNotesLength + 1))),
            LinkPurpose.Engagement);

        Assert.False(binding.Succeeded);
        Assert.Null(binding.Action);
        Assert.Equal(["'maybe' is not true or false."], binding.Errors["valueAddedServicesSold"]);
        Assert.Equal(["The estimated value cannot be negative."], binding.Errors["estimatedValue"]);
        Assert.Equal(["'EURO' is not a three-letter currency code such as USD."], binding.Errors["currency"]);
        Assert.Equal([$"Notes are limited to {LinkAction.MaxNotesLength} characters; these have {LinkAction.MaxNotesLength + 1}."], binding.Errors["notes"]);
        Assert.Equal(4, binding.Errors.Count);
    }

    [Fact]
    public void A_complete_form_with_nothing_filled_in_names_each_missing_value()
    {
        var binding = LinkAction.Bind(Form(("action", "complete"), ("estimatedValue", "a lot")), LinkPurpose.Engagement);

        Assert.Equal(["valueAddedServicesSold", "estimatedValue", "currency"], binding.Errors.Keys);
        Assert.Equal(["'a lot' is not a number (write it like 12500.50)."], binding.Errors["estimatedValue"]);
    }

    [Theory]
    [InlineData("", "Choose a reason for declining.")]
    [InlineData("3", "'3' is not a decline reason.")]
    [InlineData("Other,Other", "'Other,Other' is not a decline reason.")]
    [InlineData("TooBusy", "'TooBusy' is not a decline reason.")]
    public void An_unknown_or_missing_reason_is_a_problem(string reason, string problem)
    {
        var binding = LinkAction.Bind(Form(("action", "decline"), ("reason", reason), ("notes", "n")), LinkPurpose.Respond);

        Assert.Equal([problem], binding.Errors["reason"]);
    }

    [Theory]
    [InlineData(nameof(DeclineReason.Other))]
    [InlineData(nameof(DeclineReason.CannotDeliverBenefit))]
    public void Reasons_that_need_notes_are_refused_without_them(string reason)
    {
        var binding = LinkAction.Bind(Form(("action", "decline"), ("reason", reason), ("notes", "   ")), LinkPurpose.Respond);

        Assert.Equal([$"Declining with {reason} needs notes saying why."], binding.Errors["notes"]);
    }

    [Theory]
    [InlineData(LinkPurpose.Respond, "complete", "This link does not allow complete; it allows accept and decline.")]
    [InlineData(LinkPurpose.Engagement, "accept", "This link does not allow accept; it allows complete and decline.")]
    [InlineData(LinkPurpose.Voucher, "accept", "This link does not allow accept.")]
    [InlineData(LinkPurpose.Respond, "delete", "'delete' is not an action; use accept or decline.")]
    [InlineData(LinkPurpose.Respond, "", "Choose an action: accept or decline.")]
    public void An_action_the_link_does_not_allow_is_a_problem(LinkPurpose purpose, string action, string problem)
    {
        var binding = LinkAction.Bind(Form(("action", action), ("valueAddedServicesSold", "true")), purpose);

        Assert.Null(binding.Action);
        Assert.Equal(["action"], binding.Errors.Keys);
        Assert.Equal([problem], binding.Errors["action"]);
    }

    [Fact]
    public void A_missing_action_is_a_problem()
    {
        Assert.Equal(["Choose an action: complete or decline."], LinkAction.Bind(Form(), LinkPurpose.Engagement).Errors["action"]);
    }

    [Fact]
    public void A_field_given_twice_is_a_problem_not_a_guess()
    {
        var binding = LinkAction.Bind(Form(("action", "decline"), ("reason", "Other"), ("reason", "CustomerUnresponsive"), ("notes", "x")), LinkPurpose.Respond);

        Assert.Equal(["'reason' was given 2 times; give it once."], binding.Errors["reason"]);
    }

    [Theory]
    [InlineData(LinkPurpose.Respond, PartStatus.Offered, "accept,decline")]
    [InlineData(LinkPurpose.Respond, PartStatus.Active, "decline")]
    [InlineData(LinkPurpose.Respond, PartStatus.Completed, "")]
    [InlineData(LinkPurpose.Respond, PartStatus.Unmatched, "")]
    [InlineData(LinkPurpose.Engagement, PartStatus.Offered, "decline")]
    [InlineData(LinkPurpose.Engagement, PartStatus.Active, "complete,decline")]
    [InlineData(LinkPurpose.Engagement, PartStatus.Completed, "")]
    [InlineData(LinkPurpose.Voucher, PartStatus.Active, "")]
    public void The_page_offers_the_actions_the_link_allows_and_the_state_can_take(LinkPurpose purpose, PartStatus status, string actions)
    {
        Assert.Equal(actions, string.Join(",", LinkAction.Offered(purpose, status)));
    }
}
