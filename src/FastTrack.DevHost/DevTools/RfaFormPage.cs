using System.Net;
using FastTrack.Domain.Catalog;
using FastTrack.Core.Auth;
using Microsoft.Extensions.Options;

namespace FastTrack.DevHost.DevTools;

/// <summary>
/// <c>GET /rfa</c>: the Request for Assistance form. It posts the fields, named by their JSON paths, as a form to
/// <c>POST /api/referrals</c> with the intake key in the header (a plain HTML form cannot set headers, hence the small
/// script). A new submission id per page load makes a double-click one referral.
/// </summary>
public static class RfaFormPage
{
    public static IEndpointRouteBuilder MapRfaForm(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/rfa", (IHostEnvironment environment, IOptions<AuthOptions> keys) =>
                Results.Content(Render(environment.IsDevelopment() ? keys.Value.IntakeKey : null), "text/html; charset=utf-8"))
            .ExcludeFromDescription();
        return endpoints;
    }

    private static string Render(string? developmentKey)
    {
        var workloads = string.Join("\n", Enum.GetNames<Workload>().Select(name =>
            $"""<label><input type="checkbox" name="workloads" value="{name}"> {name}</label>"""));
        var segments = string.Join("", Enum.GetNames<Segment>().Select(name => $"<option>{name}</option>"));
        var key = WebUtility.HtmlEncode(developmentKey ?? "");
        return $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>FastTrack Request for Assistance</title>
              <style>
                body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; }
                fieldset { margin-bottom: 1rem; } label { display: block; margin: .3rem 0; }
                .workloads label { display: inline-block; width: 14rem; }
                #result { padding: .8rem; margin-top: 1rem; border-radius: .3rem; }
                .ok { background: #e6f4ea; } .problem { background: #fce8e6; }
              </style>
            </head>
            <body>
              <h1>FastTrack Request for Assistance</h1>
              <form id="rfa">
                <input type="hidden" name="submissionId">
                <fieldset><legend>Referral</legend>
                  <label>Type <select name="type"><option>Standard</option><option>Benefit</option></select></label>
                </fieldset>
                <fieldset><legend>Requestor</legend>
                  <label>Name <input name="requestor.name" required></label>
                  <label>Email <input name="requestor.email" type="email" required></label>
                  <label><input type="checkbox" name="requestor.isMicrosoft" value="true"> I work for Microsoft</label>
                </fieldset>
                <fieldset><legend>Customer</legend>
                  <label>Tenant id <input name="customer.tenantId" required></label>
                  <label>TPID <input name="customer.tpid" required></label>
                  <label>Name <input name="customer.name" required></label>
                  <label>Country (ISO code) <input name="customer.country" maxlength="2" placeholder="US" required></label>
                  <label>Preferred language (ISO code) <input name="customer.language" maxlength="2" placeholder="en" required></label>
                  <label>Segment <select name="customer.segment">{{segments}}</select></label>
                  <label>Seats <input name="customer.seats" type="number" min="1" required></label>
                </fieldset>
                <fieldset class="workloads"><legend>Workloads</legend>
                  {{workloads}}
                </fieldset>
                <fieldset><legend>Customer contact</legend>
                  <label>Name <input name="contact.name" required></label>
                  <label>Email <input name="contact.email" type="email" required></label>
                  <label>Phone <input name="contact.phone"></label>
                </fieldset>
                <fieldset><legend>Engagement</legend>
                  <label>Notes <textarea name="notes" rows="3" cols="60"></textarea></label>
                  <label>Start date <input name="engagementStartDate" type="date"></label>
                </fieldset>
                <label>Intake key <input id="key" value="{{key}}" required></label>
                <button type="submit">Submit RFA</button>
              </form>
              <div id="result" hidden></div>
              <script>
                const form = document.getElementById('rfa');
                form.submissionId.value = crypto.randomUUID();
                form.addEventListener('submit', async event => {
                  event.preventDefault();
                  const result = document.getElementById('result');
                  const response = await fetch('/api/referrals', {
                    method: 'POST',
                    headers: { 'x-functions-key': document.getElementById('key').value },
                    body: new URLSearchParams(new FormData(form)),
                  });
                  const body = await response.json().catch(() => ({}));
                  result.hidden = false;
                  result.className = response.ok ? 'ok' : 'problem';
                  result.replaceChildren();
                  const line = text => { const p = document.createElement('p'); p.textContent = text; result.append(p); };
                  if (response.status === 202) {
                    line(`Referral ${body.id} received; status ${body.status}.`);
                    result.dataset.referralId = body.id;
                  } else {
                    line(body.title || `Failed with ${response.status}.`);
                    if (body.detail) line(body.detail);
                    for (const [field, problems] of Object.entries(body.errors || {})) line(`${field}: ${problems.join(' ')}`);
                  }
                });
              </script>
            </body>
            </html>
            """;
    }
}
