using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Megaco.EndToEnd.Tests.Support;

/// <summary>The test's UE and core TCP ends, on loopback addresses of 127.0.0.0/8.</summary>
internal static class Peers
{
    /// <summary>A TCP connection from <paramref name="from"/> (any port) to 127.0.0.1:<paramref name="port"/>.</summary>
    public static async Task<Socket> ConnectAsync(int port, string from, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A listening socket on 127.0.0.1, any port.</summary>
    public static Socket Listen()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(4);
        return socket;
    }

    public static int PortOf(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    /// <summary>Resets the connection (RST, not FIN), as a UE that loses its radio link or crashes.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes as ASCII; the connection ending first fails the test.</summary>
    public static async Task<string> ReadAsync(Socket socket, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
            Assert.True(n > 0, $"the connection ended after {read} of {count} bytes");
            read += n;
        }
        return Encoding.ASCII.GetString(buffer);
    }
}
