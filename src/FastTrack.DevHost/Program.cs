using FastTrack.DevHost.Hosting;

namespace FastTrack.DevHost;

/// <summary>
/// The dev host: the Functions app's HTTP functions, timers, queues, blob drop and Durable workflows, on the same core,
/// in one ASP.NET Core process on Azurite, with the development tools. What <c>./run.sh</c> and the tests start.
/// </summary>
public sealed class Program
{
    private Program()
    {
    }

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddDevHost();
        var app = builder.Build();
        app.MapDevHost();
        app.Run();
    }
}
