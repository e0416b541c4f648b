using FastTrack.Domain.Catalog;

namespace FastTrack.Domain.Matching;

/// <summary>Sets of workloads as bit masks: the catalogue has 16, so coverage arithmetic is a few instructions.</summary>
internal static class WorkloadMask
{
    public static int Of(IEnumerable<Workload> workloads) => workloads.Aggregate(0, (mask, w) => mask | Bit(w));

    public static HashSet<Workload> ToSet(int mask) => Enum.GetValues<Workload>().Where(w => (mask & Bit(w)) != 0).ToHashSet();

    private static int Bit(Workload workload) => 1 << (int)workload;
}
