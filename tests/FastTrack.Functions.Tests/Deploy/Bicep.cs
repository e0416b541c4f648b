using System.Diagnostics;
using System.Reflection;
using FastTrack.Testing;
using Xunit;

namespace FastTrack.Functions.Tests.Deploy;

/// <summary>
/// The Bicep CLI that the test project downloads from NuGet (<c>PackageDownload</c> of
/// Azure.Bicep.CommandLine.linux-x64, see the .csproj), run on this repository's <c>infra/main.bicep</c>. It needs no
/// network: the templates use no registry modules.
/// </summary>
public static class Bicep
{
    public const string MainTemplate = "infra/main.bicep";

    // One compile per test run, shared by every test that reads the template.
    private static readonly Lazy<Task<BicepRun>> Build = new(() => RunAsync("build", MainTemplate, "--stdout"));

    public static string Executable { get; } = FindExecutable();

    /// <summary><c>bicep build infra/main.bicep --stdout</c>: the ARM JSON on stdout, diagnostics on stderr.</summary>
    public static Task<BicepRun> BuildAsync() => Build.Value;

    /// <summary><c>bicep lint infra/main.bicep</c>: every diagnostic of the linter's rules.</summary>
    public static Task<BicepRun> LintAsync() => RunAsync("lint", MainTemplate);

    /// <summary>The compiled template; fails the calling test if it does not compile.</summary>
    public static async Task<ArmTemplate> CompiledAsync()
    {
        var build = await BuildAsync();
        Assert.True(build.ExitCode == 0, build.ToString());
        return ArmTemplate.Parse(build.Output);
    }

    private static async Task<BicepRun> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var bicep = Process.Start(start)!;
        var output = bicep.StandardOutput.ReadToEndAsync();
        var errors = bicep.StandardError.ReadToEndAsync();
        await bicep.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return new BicepRun(string.Join(' ', arguments), bicep.ExitCode, await output, await errors);
    }

    /// <summary>
    /// Where restore put the package: the path the build wrote into this assembly (from <c>NuGetPackageRoot</c>), else
    /// the default global packages folder.
    /// </summary>
    private static string FindExecutable()
    {
        var metadata = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .ToDictionary(attribute => attribute.Key, attribute => attribute.Value);
        var version = metadata["BicepVersion"];
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string?[] candidates =
        [
            metadata.GetValueOrDefault("BicepExecutable"),
            Path.Combine(packages, "azure.bicep.commandline.linux-x64", version!, "tools", "bicep"),
        ];

        var found = candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException(
            $"No Bicep CLI {version} at {string.Join(" or ", candidates)}: restore the test project " +
            "(its PackageDownload of Azure.Bicep.CommandLine.linux-x64).");

        // NuGet extracts the file as it was packed; make sure this user may run it.
        if (!OperatingSystem.IsWindows() && !File.GetUnixFileMode(found).HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(
                found, File.GetUnixFileMode(found) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return found;
    }
}

/// <summary>One run of the Bicep CLI, printable as a test failure message.</summary>
public sealed record BicepRun(string Command, int ExitCode, string Output, string Errors)
{
    /// <summary>Whatever the CLI said about the templates: stderr, and stdout when it is not the compiled template.</summary>
    public string Diagnostics => (Command.StartsWith("build", StringComparison.Ordinal) ? Errors : Output + Errors).Trim();

    public override string ToString() =>
        $"bicep {Command} exited {ExitCode}\n--- stderr\n{Errors}\n--- stdout\n{(Output.Length > 4000 ? Output[..4000] + "…" : Output)}";
}
