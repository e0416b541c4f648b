using FastTrack.Domain.Catalog;
using Xunit;

namespace FastTrack.Domain.Tests;

public sealed class WorkloadNamesTests
{
    [Fact]
    public void Every_workload_has_a_name_of_its_own_in_words()
    {
        var names = Enum.GetValues<Workload>().Select(workload => workload.DisplayName()).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("Microsoft 365 Apps", Workload.M365Apps.DisplayName());
        Assert.Equal("Power BI", Workload.PowerBI.DisplayName());
        Assert.Equal("Teams", Workload.Teams.DisplayName());
    }
}
