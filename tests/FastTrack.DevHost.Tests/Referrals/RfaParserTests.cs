using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.Domain;
using FastTrack.Domain.Catalog;
using FastTrack.Core.Referrals;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.DevHost.Tests.Referrals;

/// <summary>The RFA's rules, JSON and form alike, without an app: every problem at once, keyed by the field's path.</summary>
public sealed class RfaParserTests
{
    [Fact]
    public void A_good_RFA_is_read_trimmed_and_with_its_codes_in_the_domain_case()
    {
        var json = SampleRequests.Rfa("rfa-good", "Teams", "intune");
        json["customer"]!["name"] = "  Contoso  ";
        json["customer"]!["country"] = "us";
        json["customer"]!["language"] = "EN";
        json["engagementStartDate"] = "2026-12-01";

        var rfa = Valid(json);

        Assert.Equal("Contoso", rfa.Customer.Name);
        Assert.Equal("US", rfa.Customer.Country);
        Assert.Equal("en", rfa.Customer.Language);
        Assert.Equal(2000, rfa.Customer.Seats);
        Assert.True(rfa.Requestor.IsMicrosoft);
        Assert.Equal([Workload.Teams, Workload.Intune], rfa.Workloads.Order());
        Assert.Equal(new DateOnly(2026, 12, 1), rfa.EngagementStartDate);
        Assert.Equal("+1 555 0100", rfa.Contact.Phone);
    }

    [Fact]
    public void The_optional_fields_may_be_left_out()
    {
        var json = SampleRequests.Rfa("rfa-lean");
        json.Remove("notes");
        ((JsonObject)json["requestor"]!).Remove("isMicrosoft");
        ((JsonObject)json["contact"]!).Remove("phone");

        var rfa = Valid(json);

        Assert.False(rfa.Requestor.IsMicrosoft);
        Assert.Null(rfa.Contact.Phone);
        Assert.Null(rfa.Notes);
        Assert.Null(rfa.EngagementStartDate);
    }

    [Fact]
    public void Every_missing_required_field_is_listed_at_once()
    {
        Assert.Equal(
            [
                "contact.email", "contact.name", "customer.country", "customer.language", "customer.name", "customer.seats",
                "customer.segment", "customer.tenantId", "customer.tpid", "requestor.email", "requestor.name", "submissionId",
                "type", "workloads",
            ],
            ProblemKeys(new JsonObject()));
    }

    [Fact]
    public void Blank_text_is_missing()
    {
        var json = SampleRequests.Rfa("rfa-blank");
        json["customer"]!["name"] = "   ";
        json["contact"]!["phone"] = "  ";

        Assert.Equal(["customer.name"], ProblemKeys(json));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a#b?c")]
    [InlineData("tenant\u0000")]
    [InlineData("../x")]
    [InlineData("😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀")]
    public void Ids_that_become_storage_keys_keep_the_id_rule_and_a_breach_is_named_by_its_field(string id)
    {
        var json = SampleRequests.Rfa("rfa-ids");
        json["submissionId"] = id;
        json["customer"]!["tenantId"] = id;

        var (rfa, errors) = RfaParser.Parse(JsonSerializer.SerializeToElement(json));

        Assert.Null(rfa);
        Assert.Equal(["customer.tenantId", "submissionId"], errors.Keys.Order());
        Assert.All(errors.Values, messages => Assert.Equal([IdRule.Description], messages));
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_the_one_problem()
    {
        var (rfa, errors) = RfaParser.Parse(JsonSerializer.SerializeToElement(new JsonArray(1, 2)));

        Assert.Null(rfa);
        Assert.Equal([""], errors.Keys);
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("@contoso.example")]
    [InlineData("casey@")]
    [InlineData("casey @contoso.example")]
    public void A_bad_email_is_a_problem(string email)
    {
        var json = SampleRequests.Rfa("rfa-email");
        json["contact"]!["email"] = email;
        json["requestor"]!["email"] = email;

        Assert.Equal(["contact.email", "requestor.email"], ProblemKeys(json));
    }

    [Theory]
    [InlineData("USA", "en", "customer.country")]
    [InlineData("U1", "en", "customer.country")]
    [InlineData("US", "eng", "customer.language")]
    [InlineData("US", "e", "customer.language")]
    public void A_country_or_language_that_is_not_two_letters_is_a_problem(string country, string language, string key)
    {
        var json = SampleRequests.Rfa("rfa-codes");
        json["customer"]!["country"] = country;
        json["customer"]!["language"] = language;

        Assert.Equal([key], ProblemKeys(json));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("\"many\"")]
    [InlineData("\"900\"")]
    [InlineData("true")]
    public void Seats_are_a_JSON_whole_number_of_at_least_one(string seats)
    {
        var json = SampleRequests.Rfa("rfa-seats");
        json["customer"]!["seats"] = JsonNode.Parse(seats);

        Assert.Equal(["customer.seats"], ProblemKeys(json));
    }

    [Fact]
    public void Every_unknown_workload_is_reported_under_workloads()
    {
        var json = SampleRequests.Rfa("rfa-workloads", "Teams", "Minecraft", "3");

        var (_, errors) = RfaParser.Parse(JsonSerializer.SerializeToElement(json));

        Assert.Equal(["workloads"], errors.Keys);
        Assert.Equal(2, errors["workloads"].Length);
        Assert.Contains("Minecraft", errors["workloads"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void No_workloads_is_a_problem()
    {
        var json = SampleRequests.Rfa("rfa-none");
        json["workloads"] = new JsonArray();

        Assert.Equal(["workloads"], ProblemKeys(json));
    }

    [Theory]
    [InlineData("2026-13-01")]
    [InlineData("01/12/2026")]
    [InlineData("2026-12-1")]
    [InlineData("2026-12-01T00:00:00Z")]
    public void A_start_date_is_yyyy_MM_dd(string date)
    {
        var json = SampleRequests.Rfa("rfa-date");
        json["engagementStartDate"] = date;

        Assert.Equal(["engagementStartDate"], ProblemKeys(json));
    }

    [Fact]
    public void Text_over_its_limit_is_a_problem()
    {
        var json = SampleRequests.Rfa("rfa-long");
        json["notes"] = new string('n', 4001);
        json["customer"]!["name"] = new string('c', 201);
        json["submissionId"] = new string('s', 129);

        Assert.Equal(["customer.name", "notes", "submissionId"], ProblemKeys(json));

        json["notes"] = new string('n', 4000);
        json["customer"]!["name"] = new string('c', 200);
        json["submissionId"] = new string('s', 128);
        Assert.Empty(ProblemKeys(json));
    }

    [Theory]
    [InlineData("\"on\"")]
    [InlineData("\"true\"")]
    [InlineData("1")]
    public void JSON_stays_strictly_typed_isMicrosoft_is_true_or_false(string flag)
    {
        var json = SampleRequests.Rfa("rfa-flag");
        json["requestor"]!["isMicrosoft"] = JsonNode.Parse(flag);

        Assert.Equal(["requestor.isMicrosoft"], ProblemKeys(json));
    }

    [Fact]
    public void A_form_is_read_like_JSON_with_a_checkbox_on_and_comma_separated_or_repeated_workloads()
    {
        var form = Form(("requestor.isMicrosoft", ["on"]), ("workloads", ["Teams, ExchangeOnline", "Intune"]));

        var (rfa, errors) = RfaParser.Parse(RfaParser.FromForm(form));

        Assert.Empty(errors);
        Assert.True(rfa!.Requestor.IsMicrosoft);
        Assert.Equal(900, rfa.Customer.Seats);
        Assert.Equal("US", rfa.Customer.Country);
        Assert.Equal([Workload.ExchangeOnline, Workload.Teams, Workload.Intune], rfa.Workloads.Order());
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("ON", true)]
    [InlineData("yes", true)]
    [InlineData("false", false)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    [InlineData("", false)]
    public void A_form_isMicrosoft_is_a_checkbox_or_a_select(string value, bool expected)
    {
        var (rfa, _) = RfaParser.Parse(RfaParser.FromForm(Form(("requestor.isMicrosoft", [value]))));

        Assert.Equal(expected, rfa!.Requestor.IsMicrosoft);
    }

    [Fact]
    public void A_form_value_that_does_not_convert_is_reported_under_its_field()
    {
        var form = Form(("requestor.isMicrosoft", ["maybe"]), ("customer.seats", ["many"]), ("workloads", [" , "]));

        var (rfa, errors) = RfaParser.Parse(RfaParser.FromForm(form));

        Assert.Null(rfa);
        Assert.Equal(["customer.seats", "requestor.isMicrosoft", "workloads"], errors.Keys.Order(StringComparer.Ordinal));
    }

    private static Rfa Valid(JsonObject json)
    {
        var (rfa, errors) = RfaParser.Parse(JsonSerializer.SerializeToElement(json));
        Assert.Empty(errors);
        return rfa!;
    }

    private static IEnumerable<string> ProblemKeys(JsonObject json)
    {
        var (rfa, errors) = RfaParser.Parse(JsonSerializer.SerializeToElement(json));
        Assert.Equal(errors.Count == 0, rfa is not null);
        return errors.Keys.Order(StringComparer.Ordinal);
    }

    /// <summary>A complete form post, as the RFA page sends it, with some fields replaced.</summary>
    private static FormCollection Form(params (string Key, string[] Values)[] replaced)
    {
        var fields = new Dictionary<string, StringValues>
        {
            ["submissionId"] = "form-1", ["type"] = "Standard",
            ["requestor.name"] = "Sam", ["requestor.email"] = "sam@microsoft.example",
            ["customer.tenantId"] = "t-form", ["customer.tpid"] = "tp-form", ["customer.name"] = "Fabrikam",
            ["customer.country"] = "us", ["customer.language"] = "EN", ["customer.segment"] = "Commercial", ["customer.seats"] = "900",
            ["workloads"] = "Teams",
            ["contact.name"] = "Casey", ["contact.email"] = "casey@fabrikam.example",
        };
        foreach (var (key, values) in replaced)
        {
            fields[key] = values;
        }

        return new FormCollection(fields);
    }
}
