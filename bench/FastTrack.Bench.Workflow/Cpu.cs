using System.Globalization;

namespace FastTrack.Bench.Workflow;

/// <summary>CPU time (user + system) of a process from <c>/proc/{pid}/stat</c>, to see who uses the cores during a round.</summary>
internal static class Cpu
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux

    public static TimeSpan Of(int pid)
    {
        var path = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        if (!File.Exists(path))
        {
            return TimeSpan.Zero;
        }

        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After the command: state(0) ppid(1) ... utime(11) stime(12)
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>The Azurite (node) process this bench started: a child of this process whose command line names azurite.</summary>
    public static int? AzuritePid()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (ppid == Environment.ProcessId && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("azurite", StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }

        return null;
    }
}
