using System.Net;
using System.Net.Sockets;

namespace FastTrack.Testing;

/// <summary>Ports on 127.0.0.1 that were free a moment ago, for servers a test or benchmark starts.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A port the OS just handed out and took back. Another process may take it before the caller binds it, so a
    /// server that fails to bind should be started again on another one (as <see cref="AzuriteInstance"/> does).
    /// </summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
