using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FastTrack.DevHost.Tests.Infrastructure;
using FastTrack.DevHost.Tests.Vouchers;
using FastTrack.Testing;

namespace FastTrack.DevHost.Tests.BadInput;

/// <summary>
/// What the app holds when the corpus is sent: real ids and link tokens, so that a mutation gets past "not found" to
/// the rule it means to break. <see cref="SignedHostileTokens"/> are link tokens signed with the app's own key whose
/// ids break the id rule: only the app's check of the fields inside a verified token stands between them and storage.
/// </summary>
internal sealed record CorpusTargets(
    string PartnerId,
    string ReferralId,
    string VoucherId,
    string RedemptionId,
    string RespondToken,
    string VoucherToken,
    IReadOnlyList<string> SignedHostileTokens,
    DateTimeOffset Now);

/// <summary>
/// Malformed and hostile requests over every route of API.md, generated from a seed so that a failure reproduces:
/// ids that break the id rule in paths, bodies and link tokens; mutated valid bodies (wrong types, missing fields,
/// huge and negative numbers, NaN and Infinity as strings, empty and 10,000-character strings, deep nesting), each
/// breaking at least one rule so that none may be carried out; wrong content types, truncated multipart, oversized
/// form keys, unknown ids, forged and garbled link tokens, wrong keys and methods.
/// </summary>
internal static class BadInputCorpus
{
    public const int Seed = 20_261_111;

    /// <summary>The SOW the corpus's voucher holds, Received: a POE declared over the same bytes must not pass for it.</summary>
    public static readonly byte[] SowDocument = RedemptionTestKit.Pdf("the corpus voucher's SOW");

    /// <summary>Ids that break the id rule, each for its own reason. In a path they are escaped, as a client would.</summary>
    public static readonly IReadOnlyList<string> HostileIds =
    [
        "", "   ", "a/b", "a\\b", "a#b", "a?b", "a\u0000b", "a\u001fb", "tab\there", "..", "../../etc/passwd",
        "..\\..\\windows", "a%2Fb", "a b", "-leading-dash", ".hidden", new string('x', 129), new string('x', 10_000),
        string.Concat(Enumerable.Repeat("\U0001F600", 50)), "café", "zero\u200bwidth", "a:b", "a'b\"c",
        "<script>alert(1)</script>", "a*b",
    ];

    /// <summary>The hostile ids a path can carry: the server itself refuses a NUL in a path, before any route.</summary>
    private static readonly IEnumerable<string> PathIds = HostileIds.Where(id => !id.Contains('\0', StringComparison.Ordinal));

    private const string Referrals = "POST /api/referrals";
    private const string Vouchers = "POST /api/vouchers";
    private const string Decision = "POST /api/vouchers/{id}/redemptions/{redemptionId}/decision";
    private const string UploadRoute = "POST /api/vouchers/{id}/redemptions";

    private const string Operations = FastTrackApp.OperationsKey;
    private const string Intake = FastTrackApp.IntakeKey;
    private const string OfferDesk = FastTrackApp.OfferDeskKey;
    private const string Boundary = "corpus-boundary";
    private const string FormType = "application/x-www-form-urlencoded";
    private const string JsonType = "application/json";
    private const string MultipartType = "multipart/form-data; boundary=" + Boundary;

    /// <summary>A field left out of the body.</summary>
    private const string? Missing = null;

    private static readonly string[] NotAString = ["42", "true", "{}", "[]", "[\"a\"]"];

    /// <summary>Values that fit no field's rule, put in extra fields and in fields other than the one broken.</summary>
    private static readonly string[] Noise =
    [
        "\"\U0001F600\U0001F600\"", "\"\\u0000\\u0001\"", "\"../../etc/passwd\"", $"\"{new string('x', 10_000)}\"", "-1e400", "\"NaN\"",
        "\"Infinity\"", "9223372036854775808", Nested(50), "\"a/b#c?d\\\\e\"", "{\"$type\":\"System.Object\"}", "null",
    ];

    public static IReadOnlyList<HostileRequest> Generate(int seed, CorpusTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var random = new Random(seed);
        return
        [
            .. RouteIds(targets),
            .. JsonRoutes(targets).SelectMany(route => BodyCases(route, random).Concat(FieldCases(route, random))),
            .. BodyIds(targets),
            .. RfaForms(),
            .. Uploads(targets, random),
            .. Links(targets, random),
            .. Others(targets),
        ];
    }

    /// <summary>Every route with an id in its path, once per hostile id and once with a well-formed id nothing has.</summary>
    private static IEnumerable<HostileRequest> RouteIds(CorpusTargets t)
    {
        foreach (var id in PathIds.Append("unknown-id-0001"))
        {
            var e = Uri.EscapeDataString(id);
            var what = $"id {Describe(id)}";
            var hostile = id != "unknown-id-0001";
            if (hostile)
            {
                // A well-formed id nothing has would be created by these two: only a hostile one must be refused.
                yield return Json("PUT /api/partners/{partnerId}", HttpMethod.Put, $"/api/partners/{e}", what, Operations, SampleRequests.Partner("p"));
                yield return Json("PUT /api/customers/{tenantId}", HttpMethod.Put, $"/api/customers/{e}", what, Operations, Customer(t));
            }

            yield return Get("GET /api/partners/{partnerId}", $"/api/partners/{e}", what, Operations);
            yield return Json("POST /api/partners/{partnerId}/pause", HttpMethod.Post, $"/api/partners/{e}/pause", what, Operations, Pause(t));
            yield return Get("GET /api/customers/{tenantId}", $"/api/customers/{e}", what, Operations);
            yield return Json("PUT /api/calendars/{country}", HttpMethod.Put, $"/api/calendars/{e}", what, Operations, Calendar());
            yield return Get("GET /api/calendars/{country}", $"/api/calendars/{e}", what, Operations);
            yield return Get("GET /api/referrals/{id}", $"/api/referrals/{e}", what, Operations);
            yield return Get("GET /api/vouchers/{id}", $"/api/vouchers/{e}", what, OfferDesk);
            yield return Json(Decision, HttpMethod.Post, $"/api/vouchers/{e}/redemptions/{t.RedemptionId}/decision", $"voucher {what}", OfferDesk, Reject());
            yield return Json(Decision, HttpMethod.Post, $"/api/vouchers/{t.VoucherId}/redemptions/{e}/decision", $"redemption {what}", OfferDesk, Reject());
            yield return Upload($"/api/vouchers/{e}/redemptions", what, SowParts()) with { Key = OfferDesk };
            yield return Get("GET /api/privacy/requests/{id}", $"/api/privacy/requests/{e}", what, Operations);
        }
    }

    /// <summary>Ids inside JSON bodies that end up in storage keys.</summary>
    private static IEnumerable<HostileRequest> BodyIds(CorpusTargets t)
    {
        var number = 0;
        foreach (var id in HostileIds)
        {
            var what = Describe(id);
            yield return Json(Referrals, HttpMethod.Post, "/api/referrals", $"submissionId {what}", Intake, With(Rfa(++number), "submissionId", Text(id)));
            yield return Json(Referrals, HttpMethod.Post, "/api/referrals", $"customer.tenantId {what}", Intake, With(Rfa(++number), "customer.tenantId", Text(id)));
            yield return Json(Vouchers, HttpMethod.Post, "/api/vouchers", $"referralId {what}", Operations, With(Issue(t), "referralId", Text(id)));
            yield return Json(Vouchers, HttpMethod.Post, "/api/vouchers", $"partnerId {what}", Operations, With(Issue(t), "partnerId", Text(id)));
            yield return Json("PUT /api/customers/{tenantId}", HttpMethod.Put, "/api/customers/corpus-tenant", $"claims[0].partnerId {what}", Operations, With(Customer(t), "claims.0.partnerId", Text(id)));
        }
    }

    /// <summary>A JSON route: a valid body to mutate, and each field's values that break it whatever else the body holds.</summary>
    private sealed record JsonRoute(string Route, HttpMethod Method, string Path, string Key, Func<JsonObject> Valid, IReadOnlyList<(string Path, string?[] Breaking)> Fields);

    private static IEnumerable<JsonRoute> JsonRoutes(CorpusTargets t)
    {
        var rfaNumber = 1000;
        yield return new("PUT /api/partners/{partnerId}", HttpMethod.Put, "/api/partners/corpus-partner", Operations, () => SampleRequests.Partner("corpus-partner"),
        [
            ("name", [.. Required(NotAString), "\"\"", "\"   \""]),
            ("fpc", Flag(required: true)), ("frp", Flag(required: true)), ("referralReady", Flag(required: true)), ("benefitReferrals", Flag(required: true)),
            ("homeCountry", Country()), ("countries", ["\"US\"", "[1]", "[null]", "{}", "[\"USA\"]"]),
            ("languages", [.. Required(["\"en\"", "[1]", "[null]", "{}", "[\"english\"]", "[]"])]),
            ("industries", ["[\"NotASegment\"]", "[\"Commercial\"]", "\"Education\"", "[3]"]),
            ("minSeats", Number(minimum: 0)), ("maxSeats", Number(minimum: 1)), ("endorsements", Enums(required: true)),
            ("referralContact", Email()),
            ("timeZone", [.. Required(NotAString), "\"Mars/Olympus_Mons\"", "\"../../../../etc/passwd\"", "\"UTC\\u0000\"", "\"\"", Long(10_000)]),
            ("fpmEmail", Email()),
        ]);
        yield return new("POST /api/partners/{partnerId}/pause", HttpMethod.Post, $"/api/partners/{t.PartnerId}/pause", Operations, () => Pause(t),
            [("until", [.. Required(["\"not a time\"", "\"2000-01-01T00:00:00Z\"", "\"2999-01-01T00:00:00Z\"", "42", "{}", "\"9999-99-99T99:99:99Z\""])])]);
        yield return new("PUT /api/customers/{tenantId}", HttpMethod.Put, "/api/customers/corpus-tenant", Operations, () => Customer(t),
        [
            ("tpid", [.. Required(NotAString), "\"\"", "\"   \""]), ("name", [.. Required(NotAString), "\"\"", "\"   \""]),
            ("country", Country()), ("language", Language()), ("segment", Enum()), ("seats", Number(minimum: 0)),
            ("licenses", ["\"x\"", "[]", "42"]), ("licenses.paidEligibleSeats", Number(minimum: 0)),
            ("licenses.unusedEligibleSeats", [.. Number(minimum: 0), "2001"]),
            ("monthlyActiveUsage", ["{\"ExchangeOnline\":1e400}", "{\"Teams\":\"0.5\"}", "{\"NotAWorkload\":0.5}", "{\"Teams\":-0.1}", "{\"Teams\":1.5}", "[]", "\"x\"", "{\"Teams\":\"NaN\"}"]),
            ("claims", ["\"x\"", "[1]", "{}", "[null]"]), ("claims.0.partnerId", Id()), ("claims.0.workloads", Enums(required: true)),
        ]);
        yield return new("PUT /api/calendars/{country}", HttpMethod.Put, "/api/calendars/FR", Operations, Calendar,
            [("holidays", [.. Required(["\"2026-12-25\"", "[\"2026-13-45\"]", "[1]", "[null]", "{}", "[[\"2026-12-25\"]]", "[\"25/12/2026\"]"])])]);
        yield return new(Referrals, HttpMethod.Post, "/api/referrals", Intake, () => Rfa(++rfaNumber),
        [
            ("submissionId", Id()), ("type", Enum()), ("requestor", Section()), ("requestor.name", Text(200)), ("requestor.email", Email()),
            ("requestor.isMicrosoft", Flag(required: false)), ("customer", Section()), ("customer.tenantId", Id()),
            ("customer.tpid", Text(100)), ("customer.name", Text(200)), ("customer.country", Country()), ("customer.language", Language()),
            ("customer.segment", Enum()), ("customer.seats", Number(minimum: 1)), ("workloads", Enums(required: true)),
            ("contact", Section()), ("contact.name", Text(200)), ("contact.email", Email()),
            ("contact.phone", [.. NotAString, Long(201), Long(10_000)]), ("notes", [.. NotAString, Long(4001), Long(10_000)]),
            ("engagementStartDate", ["\"2026-13-45\"", "\"tomorrow\"", "\"2026/12/01\"", "20261201", "{}"]),
        ]);
        yield return new(Vouchers, HttpMethod.Post, "/api/vouchers", Operations, () => Issue(t), [("referralId", Id()), ("partnerId", Id())]);
        yield return new(Decision, HttpMethod.Post, $"/api/vouchers/{t.VoucherId}/redemptions/{t.RedemptionId}/decision", OfferDesk, Reject,
            [("approve", Flag(required: true)), ("reason", [.. Required(NotAString)])]);
        yield return new("POST /api/privacy/requests", HttpMethod.Post, "/api/privacy/requests", Operations,
            () => new JsonObject { ["kind"] = "Export", ["email"] = "corpus@example.com" },
            [("kind", Enum()), ("email", [.. Email(), "\"a b@c.d\"", "\"@example.com\"", "\"corpus@\""])]);
    }

    /// <summary>Bodies that are not what the route reads: not JSON, truncated, deeply nested, the wrong content type.</summary>
    private static IEnumerable<HostileRequest> BodyCases(JsonRoute route, Random random)
    {
        HostileRequest Send(string what, string? contentType, byte[]? body) =>
            new HostileRequest(route.Route, route.Method, route.Path, what) { Key = route.Key, ContentType = contentType, Body = body };
        var valid = route.Valid().ToJsonString();
        yield return Send("not JSON", JsonType, "this is not json"u8.ToArray());
        yield return Send("truncated JSON", JsonType, Encoding.UTF8.GetBytes(valid[..random.Next(1, valid.Length - 1)]));
        yield return Send("empty body", JsonType, []);
        yield return Send("no body", null, null);
        foreach (var notAnObject in new[] { "[]", "\"x\"", "42", "null", "true", "[{}]" })
        {
            yield return Send($"body {notAnObject}", JsonType, Encoding.UTF8.GetBytes(notAnObject));
        }

        yield return Send("nested 10,000 deep", JsonType, Encoding.UTF8.GetBytes(Nested(10_000)));
        // Too deep for JsonNode to hold, so spliced into the text.
        var deepField = Broken(route, random, 0, "\"nested-here\"").ToJsonString().Replace("\"nested-here\"", Nested(200), StringComparison.Ordinal);
        yield return Send("a field nested 200 deep", JsonType, Encoding.UTF8.GetBytes(deepField));
        yield return Send("invalid UTF-8", JsonType, [.. "{\"x\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8]);
        foreach (var contentType in new[] { "text/plain", "application/xml", FormType, "multipart/form-data", "application/json; charset=utf-16", "application/json; charset=\"", "*/*" })
        {
            yield return Send($"broken body as {contentType}", contentType, Encoding.UTF8.GetBytes(Broken(route, random).ToJsonString()));
        }

        var padded = Broken(route, random);
        padded["padding"] = new string('p', 1_200_000);
        yield return Send("broken body over 1 MiB", JsonType, Encoding.UTF8.GetBytes(padded.ToJsonString()));
    }

    /// <summary>Each field broken by two of its breaking values, some with noise in other fields and extra ones.</summary>
    private static IEnumerable<HostileRequest> FieldCases(JsonRoute route, Random random)
    {
        for (var field = 0; field < route.Fields.Count; field++)
        {
            var breaking = route.Fields[field].Breaking;
            foreach (var value in breaking.OrderBy(_ => random.Next()).Take(2))
            {
                var body = Broken(route, random, field, value);
                yield return new HostileRequest(route.Route, route.Method, route.Path, $"{route.Fields[field].Path} = {Describe(value)}")
                {
                    Key = route.Key,
                    ContentType = JsonType,
                    Body = Encoding.UTF8.GetBytes(body.ToJsonString()),
                };
            }
        }
    }

    /// <summary>The valid body with one field, chosen at random, broken by one of its breaking values.</summary>
    private static JsonObject Broken(JsonRoute route, Random random)
    {
        var field = random.Next(route.Fields.Count);
        var breaking = route.Fields[field].Breaking;
        return Broken(route, random, field, breaking[random.Next(breaking.Length)]);
    }

    /// <summary>
    /// The valid body with <paramref name="field"/> set to <paramref name="value"/> (null: left out) and, at random, noise
    /// in extra fields and in other fields, never the broken one nor one around it: whatever the noise, the body stays broken.
    /// </summary>
    private static JsonObject Broken(JsonRoute route, Random random, int field, string? value)
    {
        var path = route.Fields[field].Path;
        var body = With(route.Valid(), path, value);
        foreach (var (other, _) in route.Fields.Where(f => !f.Path.StartsWith(path, StringComparison.Ordinal) && !path.StartsWith(f.Path, StringComparison.Ordinal)))
        {
            if (random.NextDouble() < 0.1)
            {
                TryWith(body, other, Noise[random.Next(Noise.Length)]);
            }
        }

        if (random.NextDouble() < 0.5)
        {
            body[random.Next(2) == 0 ? "\U0001F600extra" : "$type"] = JsonNode.Parse(Noise[random.Next(Noise.Length)]);
        }

        return body;
    }

    /// <summary>The RFA as a form (API.md: "JSON or form-urlencoded"), and forms the form reader cannot take.</summary>
    private static IEnumerable<HostileRequest> RfaForms()
    {
        HostileRequest Send(string what, string contentType, byte[] body) =>
            new(Referrals, HttpMethod.Post, "/api/referrals", what) { Key = Intake, ContentType = contentType, Body = body };
        var fields = new Dictionary<string, string>
        {
            ["submissionId"] = "corpus-form", ["type"] = "Standard", ["requestor.name"] = "Sam Seller", ["requestor.email"] = "sam@microsoft.example",
            ["customer.tenantId"] = "tenant-corpus-form", ["customer.tpid"] = "tpid-corpus-form", ["customer.name"] = "Contoso",
            ["customer.country"] = "US", ["customer.language"] = "en", ["customer.segment"] = "Commercial", ["customer.seats"] = "2000",
            ["workloads"] = "Teams", ["contact.name"] = "Casey Customer", ["contact.email"] = "casey@contoso.example",
        };
        byte[] Form(params (string Name, string Value)[] changes)
        {
            var form = new Dictionary<string, string>(fields);
            foreach (var (name, value) in changes)
            {
                form[name] = value;
            }

            return Encoding.UTF8.GetBytes(string.Join('&', form.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")));
        }

        yield return Send("form: seats not a number", FormType, Form(("customer.seats", "lots")));
        yield return Send("form: seats 1e400", FormType, Form(("customer.seats", "1e400")));
        yield return Send("form: workloads unknown", FormType, Form(("workloads", "Teams,NotAWorkload")));
        yield return Send("form: isMicrosoft maybe", FormType, Form(("requestor.isMicrosoft", "maybe")));
        yield return Send("form: tenantId a/b", FormType, Form(("customer.tenantId", "a/b")));
        yield return Send("form: tenantId a#b?c", FormType, Form(("customer.tenantId", "a#b?c")));
        yield return Send("form: submissionId 50 emoji", FormType, Form(("submissionId", string.Concat(Enumerable.Repeat("\U0001F600", 50)))));
        yield return Send("form: a 3,000-character key", FormType, Form((new string('k', 3000), "v"), ("type", "Bogus")));
        yield return Send("form: 1,100 fields", FormType, Encoding.UTF8.GetBytes(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=x"))));
        yield return Send("form: a key nested 1,020 deep", FormType, Form((string.Join('.', Enumerable.Repeat("a", 1020)), "x"), ("type", "Bogus")));
        yield return Send("form: a key nested 70 deep", FormType, Form((string.Join('.', Enumerable.Repeat("customer", 70)), "x"), ("type", "Bogus")));
        yield return Send("form: customer both a value and an object", FormType, Form(("customer", "x"), ("type", "Bogus")));
        yield return Send("form: bad percent-encoding", FormType, "submissionId=%zz&type=%&customer.seats=%FF%FE"u8.ToArray());
        yield return Send("form: a 1.2 MB value", FormType, Form(("notes", new string('n', 1_200_000))));
        yield return Send("multipart RFA, truncated", MultipartType, Truncate(Multipart([.. fields.Select(f => Part(f.Key, f.Value))]), 0.5));
        yield return Send("multipart RFA, no closing boundary", MultipartType, Multipart([.. fields.Select(f => Part(f.Key, f.Value)), Part("type", "Bogus")], close: false));
        yield return Send("multipart without a boundary", "multipart/form-data", Multipart([.. fields.Select(f => Part(f.Key, f.Value))]));
    }

    /// <summary>The upload, by key and by link (<paramref name="send"/>), with everything a multipart body can get wrong.</summary>
    private static IEnumerable<HostileRequest> UploadCases(Func<string, string?, byte[]?, HostileRequest> send)
    {
        var sow = Multipart(SowParts());
        yield return send("truncated in the file", MultipartType, Truncate(sow, 0.6));
        yield return send("truncated after 10 bytes", MultipartType, sow[..10]);
        yield return send("no closing boundary", MultipartType, Multipart(SowParts(), close: false));
        yield return send("no boundary parameter", "multipart/form-data", sow);
        yield return send("an empty boundary", "multipart/form-data; boundary=", sow);
        yield return send("another boundary than the body's", "multipart/form-data; boundary=other-boundary", sow);
        yield return send("a part without Content-Disposition", MultipartType, Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Type: text/plain\r\n\r\nx\r\n--{Boundary}--\r\n"));
        yield return send("a file part without a name", MultipartType, Encoding.UTF8.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; filename=\"a.pdf\"\r\n\r\n%PDF-1.7\r\n--{Boundary}--\r\n"));
        yield return send("no file", MultipartType, Multipart(SowParts(file: null)));
        yield return send("a ZIP named .pdf", MultipartType, Multipart(SowParts(file: "PK\u0003\u0004 renamed"u8.ToArray())));
        yield return send("an empty file", MultipartType, Multipart(SowParts(file: [])));
        yield return send("two files", MultipartType, Multipart([.. SowParts(), File("second.pdf", RedemptionTestKit.Pdf("second"))]));
        yield return send("the file under another name", MultipartType, Multipart([.. SowParts(file: null), ("document", "s.pdf", RedemptionTestKit.Pdf("other name"))]));
        yield return send("kind invoice", MultipartType, Multipart(SowParts(("kind", "invoice"))));
        yield return send("kind missing", MultipartType, Multipart(SowParts(("kind", null))));
        yield return send("templateId missing", MultipartType, Multipart(SowParts(("templateId", null))));
        yield return send("signedByCustomer maybe", MultipartType, Multipart(SowParts(("signedByCustomer", "maybe"))));
        yield return send("kind twice", MultipartType, Multipart([.. SowParts(), Part("kind", "poe")]));
        foreach (var users in new[] { "NaN", "1e400", "-5", "99999999999999999999", "", "Infinity" })
        {
            yield return send($"POE usersDeployed {Describe(users)}", MultipartType, Multipart(PoeParts(RedemptionTestKit.Pdf($"poe {users}"), ("usersDeployed", users))));
        }

        yield return send("POE workloads unknown", MultipartType, Multipart(PoeParts(RedemptionTestKit.Pdf("poe workloads"), ("workloads", "Bogus,Teams"))));
        yield return send("a 2,000-character templateId", MultipartType, Multipart(SowParts(("templateId", new string('t', 2000)))));
        yield return send("70 parts", MultipartType, Multipart([.. SowParts(), .. Enumerable.Range(0, 70).Select(i => Part($"extra{i}", "x"))]));
        yield return send("a field with a 5,000-character name", MultipartType, Multipart([.. SowParts(("kind", null)), Part(new string('n', 5000), "x")]));
        yield return send("a traversal file name, not a PDF", MultipartType, Multipart([.. SowParts(file: null), ("file", "../../../etc/passwd", "root:x:0:0"u8.ToArray())]));
        yield return send("an emoji file name, kind missing", MultipartType, Multipart([.. SowParts(file: null, ("kind", null)), ("file", string.Concat(Enumerable.Repeat("\U0001F600", 3000)), RedemptionTestKit.Pdf("emoji"))]));
        yield return send("a second SOW while one is under review", MultipartType, Multipart(SowParts(file: RedemptionTestKit.Pdf("a second SOW"))));
        yield return send("a POE with the SOW's bytes, 240 users", MultipartType, Multipart(PoeParts(SowDocument, ("usersDeployed", "240"))));
        yield return send("a POE with the SOW's bytes, Power BI and Teams", MultipartType, Multipart(PoeParts(SowDocument, ("workloads", "PowerBI,Teams"))));
        yield return send("a POE with the SOW's bytes", MultipartType, Multipart(PoeParts(SowDocument)));
        yield return send("JSON", JsonType, "{\"kind\":\"sow\",\"templateId\":\"SOW-2023\"}"u8.ToArray());
        yield return send("form-urlencoded", FormType, "kind=sow&templateId=SOW-2023&signedByCustomer=true&signedByPartner=true"u8.ToArray());
        yield return send("text/plain", "text/plain", sow);
        yield return send("no body", null, null);
    }

    private static IEnumerable<HostileRequest> Uploads(CorpusTargets t, Random random)
    {
        var path = $"/api/vouchers/{t.VoucherId}/redemptions";
        foreach (var request in UploadCases((what, contentType, body) => new HostileRequest(UploadRoute, HttpMethod.Post, path, what) { Key = OfferDesk, ContentType = contentType, Body = body }))
        {
            yield return request;
        }

        // Who may upload: the offer desk's key or the voucher's own link token, nothing else.
        var sow = Multipart(SowParts(file: RedemptionTestKit.Pdf("an unauthorised SOW")));
        foreach (var token in GarbledTokens(t, random).Take(12).Append(t.RespondToken))
        {
            yield return Upload(path, $"x-link-token {Describe(token)}", SowParts(file: RedemptionTestKit.Pdf("by a garbled token"))) with { LinkToken = token };
        }

        yield return Upload(path, "no key", SowParts()) with { Body = sow };
        yield return Upload(path, "the intake key", SowParts()) with { Key = Intake, Body = sow };
        yield return Upload(path, "the operations key", SowParts()) with { Key = Operations, Body = sow };
        yield return Upload(path, "a 10,000-character key", SowParts()) with { Key = new string('k', 10_000), Body = sow };
        yield return Upload($"/api/vouchers/CSO-0000000000000000/redemptions", "another voucher's id with this voucher's token", SowParts()) with { LinkToken = t.VoucherToken, Body = sow };
    }

    private static IEnumerable<HostileRequest> Links(CorpusTargets t, Random random)
    {
        var accept = 0;
        string NextAccept() => (++accept % 3) switch { 0 => "application/json", 1 => "text/html", _ => "*/*" };
        foreach (var token in GarbledTokens(t, random))
        {
            var path = $"/api/links/{Uri.EscapeDataString(token)}";
            yield return new HostileRequest(HostileRequest.LinkRoute, HttpMethod.Get, path, $"token {Describe(token)}") { Accept = NextAccept() };
            yield return new HostileRequest(HostileRequest.LinkRoute, HttpMethod.Post, path, $"accept with token {Describe(token)}")
            {
                Accept = NextAccept(), ContentType = FormType, Body = "action=accept"u8.ToArray(),
            };
        }

        var respond = $"/api/links/{t.RespondToken}";
        HostileRequest Act(string what, string? contentType, byte[]? body) =>
            new(HostileRequest.LinkRoute, HttpMethod.Post, respond, what) { Accept = NextAccept(), ContentType = contentType, Body = body };
        foreach (var form in new[]
        {
            "", "action=bogus", "action=complete", "action=accept&action=accept", "action=decline", "action=decline&reason=Bogus",
            "action=decline&reason=Other", "action=decline&reason=CannotDeliverBenefit", $"action=decline&reason=Other&notes={new string('n', 4001)}",
            "action=decline&reason=3", "action=%00", "action=%F0%9F%98%80", "action=decline&reason=Other&notes=a&notes=b",
            "action=decline&reason=Other%2COther", "action=complete&valueAddedServicesSold=true&estimatedValue=NaN&currency=USD",
        })
        {
            yield return Act($"form {Describe(form)}", FormType, Encoding.UTF8.GetBytes(form));
        }

        yield return Act("a 3,000-character key", FormType, Encoding.UTF8.GetBytes($"{new string('k', 3000)}=v"));
        yield return Act("1,100 fields", FormType, Encoding.UTF8.GetBytes(string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=x"))));
        yield return Act("a 1.2 MB value", FormType, Encoding.UTF8.GetBytes($"notes={new string('n', 1_200_000)}"));
        yield return Act("JSON", JsonType, "{\"action\":\"accept\"}"u8.ToArray());
        yield return Act("text/plain", "text/plain", "action=accept"u8.ToArray());
        yield return Act("no content type", null, "action=accept"u8.ToArray());
        yield return Act("no body", null, null);
        yield return Act("multipart, truncated", MultipartType, Truncate(Multipart([Part("action", "accept"), Part("notes", new string('n', 500))]), 0.5));
        yield return Act("multipart, action bogus", MultipartType, Multipart([Part("action", "bogus")]));

        var voucher = $"/api/links/{t.VoucherToken}";
        foreach (var request in UploadCases((what, contentType, body) =>
            new HostileRequest(HostileRequest.LinkRoute, HttpMethod.Post, voucher, $"voucher link upload: {what}") { Accept = NextAccept(), ContentType = contentType, Body = body }))
        {
            yield return request;
        }
    }

    /// <summary>Tokens that must not verify, or that verify but name ids the rule refuses.</summary>
    private static IEnumerable<string> GarbledTokens(CorpusTargets t, Random random)
    {
        var token = t.VoucherToken;
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        string RandomText(int length) => new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        foreach (var signed in t.SignedHostileTokens)
        {
            yield return signed;
        }

        yield return token[..^1];
        yield return token[..(token.Length / 2)];
        yield return token + "A";
        yield return (token[1] == 'A' ? "B" : "A") + token[1..];
        yield return token[..dot] + t.RespondToken[t.RespondToken.IndexOf('.', StringComparison.Ordinal)..];
        yield return token.ToUpperInvariant();
        yield return token + "==";
        yield return token.Replace('-', '+').Replace('_', '/');
        yield return token[..dot];
        yield return "a.";
        yield return "." + token[(dot + 1)..];
        yield return RandomText(400) + "." + RandomText(43);
        yield return RandomText(1100);
        for (var i = 0; i < 5; i++)
        {
            yield return RandomText(random.Next(10, 200)) + "." + RandomText(43);
        }

        // Not "." or "..": a client resolves them away, and what remains is not a link.
        foreach (var id in PathIds.Where(id => id.Length < 200 && id.Trim('.').Length > 0))
        {
            yield return id;
        }
    }

    /// <summary>Routes whose queries, keys and methods are wrong: health, the description, lists, auth.</summary>
    private static IEnumerable<HostileRequest> Others(CorpusTargets t)
    {
        yield return Get("GET /api/health", "/api/health?probe=%00%FF", "junk query", null);
        yield return Get("GET /api/health", "/api/health", "accept XML", null) with { Accept = "application/xml" };
        yield return Get("GET /openapi/{documentName}.json", "/openapi/v1.json?x=..%2F..%2F", "junk query", null);
        yield return Get("GET /openapi/{documentName}.json", "/openapi/v2.json", "unknown document", null);
        yield return Get("GET /openapi/{documentName}.json", "/openapi/..%2F..%2Fappsettings.json", "traversal", null);
        yield return Get("GET /openapi/{documentName}.json", $"/openapi/{new string('v', 5000)}.json", "5,000 characters", null);
        yield return Get("GET /api/partners", "/api/partners?pageSize=-1&continuationToken=%00", "negative page size", Operations);
        yield return Get("GET /api/partners", "/api/partners?pageSize=99999999999999999999", "huge page size", Operations);
        yield return Get("GET /api/referrals", "/api/referrals?status=Bogus&pageSize=NaN&createdFrom=yesterday&overdue=maybe", "unknown filters", Operations);
        yield return Get("GET /api/privacy/requests", "/api/privacy/requests?overdue=maybe", "overdue maybe", Operations);
        yield return Get("GET /api/privacy/requests", "/api/privacy/requests?overdue=1e400", "overdue 1e400", Operations);
        yield return Get("GET /api/redemptions/overdue", "/api/redemptions/overdue?since=%00", "junk query", OfferDesk);

        var partner = SampleRequests.Partner("corpus-unauthorised");
        foreach (var (what, key) in new[] { ("no key", null), ("the intake key", Intake), ("a wrong key", "wrong-key"), ("a 10,000-character key", new string('k', 10_000)) })
        {
            yield return Json("PUT /api/partners/{partnerId}", HttpMethod.Put, "/api/partners/corpus-unauthorised", what, key, partner);
            yield return Json("POST /api/privacy/requests", HttpMethod.Post, "/api/privacy/requests", what, key, new JsonObject { ["kind"] = "Export", ["email"] = "corpus@example.com" });
        }

        yield return Json(Referrals, HttpMethod.Post, "/api/referrals", "the operations key", Operations, Rfa(2000));
        yield return Json(Referrals, HttpMethod.Post, "/api/referrals", "no key", null, Rfa(2001));
        yield return Json(Decision, HttpMethod.Post, $"/api/vouchers/{t.VoucherId}/redemptions/{t.RedemptionId}/decision", "the operations key", Operations, new JsonObject { ["approve"] = true });
        yield return Json(Vouchers, HttpMethod.Post, "/api/vouchers", "the offer desk's key", OfferDesk, Issue(t));
        // A browser's Accept: a refusal is problem details all the same.
        yield return Get("GET /api/partners/{partnerId}", $"/api/partners/{t.PartnerId}", "no key, accepting only HTML", null) with { Accept = "text/html" };
        yield return Get("GET /api/partners/{partnerId}", "/api/partners/a%23b", "hostile id, accepting only HTML", Operations) with { Accept = "text/html" };
        yield return Get("GET /api/vouchers/{id}", "/api/vouchers/CSO-0000000000000000", "unknown voucher, accepting only HTML", OfferDesk) with { Accept = "text/html" };
        yield return new HostileRequest("DELETE /api/partners/{partnerId}", HttpMethod.Delete, $"/api/partners/{t.PartnerId}", "wrong method, accepting only HTML") { Key = Operations, Accept = "text/html" };
        yield return new HostileRequest("DELETE /api/partners/{partnerId}", HttpMethod.Delete, $"/api/partners/{t.PartnerId}", "wrong method") { Key = Operations };
        yield return new HostileRequest("PATCH /api/customers/{tenantId}", HttpMethod.Patch, "/api/customers/corpus-tenant", "wrong method") { Key = Operations, ContentType = JsonType, Body = "{}"u8.ToArray() };
        yield return new HostileRequest("DELETE /api/vouchers/{id}", HttpMethod.Delete, $"/api/vouchers/{t.VoucherId}", "wrong method") { Key = OfferDesk };
        yield return new HostileRequest("PUT /api/referrals", HttpMethod.Put, "/api/referrals", "wrong method") { Key = Intake, ContentType = JsonType, Body = Encoding.UTF8.GetBytes(Rfa(2002).ToJsonString()) };
    }

    private static HostileRequest Get(string route, string path, string what, string? key) => new(route, HttpMethod.Get, path, what) { Key = key };

    private static HostileRequest Json(string route, HttpMethod method, string path, string what, string? key, JsonObject body) =>
        new(route, method, path, what) { Key = key, ContentType = JsonType, Body = Encoding.UTF8.GetBytes(body.ToJsonString()) };

    private static HostileRequest Upload(string path, string what, IEnumerable<(string Name, string? FileName, byte[] Content)> parts) =>
        new(UploadRoute, HttpMethod.Post, path, what) { ContentType = MultipartType, Body = Multipart(parts) };

    private static JsonObject Customer(CorpusTargets t)
    {
        var customer = SampleRequests.Customer("tpid-corpus");
        customer["claims"] = new JsonArray(new JsonObject { ["partnerId"] = t.PartnerId, ["workloads"] = new JsonArray("Teams") });
        return customer;
    }

    private static JsonObject Pause(CorpusTargets t) => new() { ["until"] = t.Now.AddDays(1).ToString("O", CultureInfo.InvariantCulture) };

    private static JsonObject Calendar() => new() { ["holidays"] = new JsonArray("2026-12-25") };

    private static JsonObject Rfa(int number)
    {
        var rfa = SampleRequests.Rfa($"corpus-{number}");
        rfa["engagementStartDate"] = "2026-12-01";
        return rfa;
    }

    private static JsonObject Issue(CorpusTargets t) => new() { ["referralId"] = t.ReferralId, ["partnerId"] = t.PartnerId };

    private static JsonObject Reject() => new() { ["approve"] = false, ["reason"] = "corpus" };

    /// <summary><paramref name="body"/> with the field at <paramref name="path"/> (dots; a number indexes an array) set to raw JSON, or removed.</summary>
    private static JsonObject With(JsonObject body, string path, string? rawJson) =>
        TryWith(body, path, rawJson) ? body : throw new InvalidOperationException($"{path} is not a field of the body.");

    /// <summary>As <see cref="With"/>; false when noise put before has replaced an object on the way.</summary>
    private static bool TryWith(JsonObject body, string path, string? rawJson)
    {
        var segments = path.Split('.');
        JsonNode? parent = body;
        foreach (var segment in segments[..^1])
        {
            parent = (parent, int.TryParse(segment, out var index)) switch
            {
                (JsonArray array, true) when index < array.Count => array[index],
                (JsonObject container, false) => container[segment],
                _ => null,
            };
        }

        if (parent is not JsonObject field)
        {
            return false;
        }

        if (rawJson is null)
        {
            field.Remove(segments[^1]);
        }
        else
        {
            field[segments[^1]] = JsonNode.Parse(rawJson);
        }

        return true;
    }

    private static string?[] Required(IEnumerable<string?> values) => [Missing, "null", .. values];

    private static string?[] Id() => Required([.. NotAString, .. HostileIds.Select(Text)]);

    private static string?[] Text(int max) => Required([.. NotAString, "\"\"", "\"   \"", Long(max + 1), Long(10_000)]);

    private static string?[] Email() => Required([.. NotAString, "\"no-at-sign\"", Long(10_000)]);

    private static string?[] Enum() => Required(["\"NotAValue\"", "\"\"", "\"3\"", "3", "true", "{}", "[]", "\"Commercial;DROP TABLE\""]);

    private static string?[] Flag(bool required) =>
        [.. required ? [Missing, "null"] : Array.Empty<string?>(), "\"true\"", "\"yes\"", "1", "0", "{}", "[]"];

    private static string?[] Country() => Required([.. NotAString, "\"USA\"", "\"U\"", "\"1A\"", "\"\"", "\"\U0001F1FA\U0001F1F8\""]);

    private static string?[] Language() => Required([.. NotAString, "\"english\"", "\"e\"", "\"\"", "\"e1\""]);

    private static string?[] Section() => Required(["\"x\"", "[]", "42"]);

    private static string?[] Enums(bool required) =>
        [.. required ? [Missing, "null", "[]"] : Array.Empty<string?>(), "[\"NotAWorkload\"]", "\"Teams\"", "[3]", "[[\"Teams\"]]", "{}", "[null]"];

    private static string?[] Number(int minimum) => Required(
    [
        "\"12\"", "1.5", "1e400", "-1e400", "2147483648", "-2147483649", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"", "true", "{}", "[]",
        (minimum - 1).ToString(CultureInfo.InvariantCulture),
    ]);

    private static string Text(string value) => JsonSerializer.Serialize(value);

    private static string Long(int length) => Text(new string('x', length));

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static IEnumerable<(string Name, string? FileName, byte[] Content)> SowParts(params (string Name, string? Value)[] changes) =>
        SowParts(SowDocument, changes);

    private static IEnumerable<(string Name, string? FileName, byte[] Content)> SowParts(byte[]? file, params (string Name, string? Value)[] changes) =>
        Parts(new() { ["kind"] = "sow", ["templateId"] = "SOW-2023", ["signedByCustomer"] = "true", ["signedByPartner"] = "true" }, file, changes);

    /// <summary>A POE that keeps every rule unless changed: 300 users on Exchange Online and Teams.</summary>
    private static IEnumerable<(string Name, string? FileName, byte[] Content)> PoeParts(byte[] file, params (string Name, string? Value)[] changes) =>
        Parts(new()
        {
            ["kind"] = "poe", ["templateId"] = "POE-2023", ["signedByCustomer"] = "true", ["signedByPartner"] = "true",
            ["usersDeployed"] = "300", ["workloads"] = "ExchangeOnline,Teams",
        }, file, changes);

    private static IEnumerable<(string Name, string? FileName, byte[] Content)> Parts(Dictionary<string, string?> fields, byte[]? file, (string Name, string? Value)[] changes)
    {
        foreach (var (name, value) in changes)
        {
            fields[name] = value;
        }

        foreach (var (name, value) in fields.Where(f => f.Value is not null))
        {
            yield return Part(name, value!);
        }

        if (file is not null)
        {
            yield return File("signed.pdf", file);
        }
    }

    private static (string Name, string? FileName, byte[] Content) Part(string name, string value) => (name, null, Encoding.UTF8.GetBytes(value));

    private static (string Name, string? FileName, byte[] Content) File(string fileName, byte[] content) => ("file", fileName, content);

    private static byte[] Multipart(IEnumerable<(string Name, string? FileName, byte[] Content)> parts, bool close = true)
    {
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        foreach (var (name, fileName, content) in parts)
        {
            Write($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"");
            Write(fileName is null ? "\r\n\r\n" : $"; filename=\"{fileName}\"\r\nContent-Type: application/pdf\r\n\r\n");
            body.Write(content);
            Write("\r\n");
        }

        if (close)
        {
            Write($"--{Boundary}--\r\n");
        }

        return body.ToArray();
    }

    private static byte[] Truncate(byte[] body, double fraction) => body[..(int)(body.Length * fraction)];

    /// <summary>A value as a failure message shows it: short, with control characters visible.</summary>
    private static string Describe(string? value)
    {
        if (value is null)
        {
            return "(missing)";
        }

        var shown = string.Concat(value.Take(40).Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return value.Length > 40 ? $"{shown}…({value.Length} chars)" : shown;
    }
}
