namespace FastTrack.Functions.Hosting;

/// <summary>How this process runs: under the Azure Functions host as a custom handler, or standalone.</summary>
public static class FunctionsHost
{
    /// <summary>Set by the Functions host to the port it sends invocations and proxied HTTP requests to.</summary>
    public const string CustomHandlerPortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public const string StandaloneUrl = "http://localhost:7071";

    public static bool IsCustomHandler(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[CustomHandlerPortSetting]);
}
