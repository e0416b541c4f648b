using System.Net.Sockets;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;

namespace FastTrack.DevHost.Durable;

/// <summary>
/// The part of the Functions host's Durable extension the dev host needs: the Durable Task Framework's Azure Storage
/// provider (the engine Durable Functions runs in Azure) on the app's storage, served to the stock Durable Task gRPC
/// worker and client by <see cref="TaskHubGrpcServer"/>, as the Functions host serves the isolated worker. It listens
/// on a Unix domain socket of its own, so that a test host (which has no sockets) and several apps on one machine work.
/// </summary>
/// <param name="service">The engine as the sidecar runs it (the benchmarks pass one that also reports completions).</param>
/// <param name="client">The engine as the sidecar's client calls reach it.</param>
public sealed class DurableTaskSidecar(IOrchestrationService service, IOrchestrationServiceClient client, string socketPath, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _server;

    /// <summary>The dev host's sidecar: the provider, started and stopped as <see cref="SidecarOrchestrationService"/> says.</summary>
    public static DurableTaskSidecar For(AzureStorageOrchestrationService provider, string socketPath, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        return new(new SidecarOrchestrationService(provider, loggers.CreateLogger<SidecarOrchestrationService>()), provider, socketPath, loggers);
    }

    /// <summary>A channel to the sidecar; connections are made when the worker and client first call.</summary>
    public static GrpcChannel Channel(string socketPath) => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        },
    });

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenUnixSocket(socketPath, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(client);
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        _server = builder.Build();
        _server.MapGrpcService<TaskHubGrpcServer>();
        await _server.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        File.Delete(socketPath);
    }
}
