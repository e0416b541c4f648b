namespace FastTrack.Testing;

/// <summary>Files of this repository (the folder holding FastTrack.Functions.sln above the test binaries).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FastTrack.Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("No FastTrack.Functions.sln above " + AppContext.BaseDirectory);
    }
}
