using FastTrack.Domain.Catalog;
using FastTrack.Domain.Matching;

namespace FastTrack.Domain.Referrals;

/// <summary>SPEC §4: a well-formed RFA the program cannot take (the HTTP layer answers 422 and stores nothing).</summary>
public static class ReferralIntake
{
    public static IReadOnlyList<string> WhyNotAcceptable(MatchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        if (request.Type == ReferralType.Benefit && request.Customer.Seats < ProgramRules.BenefitMinimumSeats)
        {
            problems.Add($"A FastTrack Benefit referral needs {ProgramRules.BenefitMinimumSeats} or more seats; the customer has {request.Customer.Seats}.");
        }

        if (request.Workloads.Count == 0)
        {
            problems.Add("At least one workload must be requested.");
        }

        return problems;
    }
}
