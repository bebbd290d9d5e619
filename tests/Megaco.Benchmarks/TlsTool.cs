using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Megaco.Mg.Tls;
using Megaco.Protocol.Sdp;

namespace Megaco.Benchmarks;

/// <summary>
/// The processes of tls-compare.sh: BouncyCastle (Megaco.Mg.Tls) and SslStream as the TLS server of the
/// certificate case, beside stunnel, haproxy and nginx (which the script runs itself), with the load in another
/// process so the server's CPU is read from its own /proc entry.
/// <c>tls-serve bc|ssl ec|rsa FRONT BACKEND DIR</c> terminates every TLS connection on 127.0.0.1:FRONT with the
/// certificate DIR/server-ec|rsa.pem and its key DIR/server-ec|rsa.key (mutual: the client's certificate
/// DIR/client.pem is checked by sha-256 fingerprint) and forwards the clear bytes to 127.0.0.1:BACKEND, each
/// connection on its own task, until killed. <c>tls-sink PORT</c> accepts connections and discards what they send.
/// <c>tls-load FRONT BACKEND MB DIR</c> sends MB megabytes through it over TLS 1.3 with AES-256-GCM and prints
/// MB/s once its sink on BACKEND has them all; <c>tls-handshakes FRONT N DIR</c> makes N full handshakes one
/// after another (no resumption); <c>tls-hold FRONT N DIR</c> opens N sessions and holds them idle, printing "held".
/// Clients are SslStream (OpenSSL underneath) in every case, so every server sees the same peer.
/// </summary>
internal static class TlsTool
{
    private const int ChunkBytes = 256 * 1024;
    private const int ReceiveBytes = 32 * 1024;

    public static bool Handles(string verb) => verb is "tls-serve" or "tls-sink" or "tls-load" or "tls-handshakes" or "tls-hold";

    public static async Task<int> RunAsync(string[] args)
    {
        int Number(int i) => int.Parse(args[i], CultureInfo.InvariantCulture);
        return args[0] switch
        {
            "tls-serve" => await ServeAsync(args[1] == "bc", args[2] == "rsa", Number(3), Number(4), args[5]),
            "tls-sink" => await SinkAsync(Number(1)),
            "tls-load" => await LoadAsync(Number(1), Number(2), Number(3) * 1_000_000L, args[4]),
            "tls-handshakes" => await HandshakesAsync(Number(1), Number(2), args[3]),
            _ => await HoldAsync(Number(1), Number(2), args[3]),
        };
    }

    private static async Task<int> ServeAsync(bool bouncyCastle, bool rsa, int front, int backend, string dir)
    {
        var clientDer = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(dir, "client.pem")).RawData;
        var expected = TlsFingerprint.Compute(FingerprintHash.Sha256, clientDer);
        // The same certificate and key as the other servers of the run.
        var certificatePath = Path.Combine(dir, rsa ? "server-rsa.pem" : "server-ec.pem");
        var keyPath = Path.ChangeExtension(certificatePath, ".key");
        var bcOptions = new TlsEndpointOptions
        {
            Role = TlsRole.Server,
            Certificate = MgCertificate.LoadPem(certificatePath, keyPath),
            RemoteFingerprints = [expected],
        };
        using var sslCertificate = WithUsableKey(X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
        var sslOptions = new SslServerAuthenticationOptions
        {
            ServerCertificate = sslCertificate,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            AllowTlsResume = false,
            // The fingerprint is the trust: the chain of a self-signed certificate is irrelevant.
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && expected.Matches(certificate.GetRawCertData()),
        };
        if (Environment.GetEnvironmentVariable("TLS_BENCH_HEAP") == "1")
        {
            // For the idle phase only: the managed bytes still reachable after a full collection, every 2 s.
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    Console.WriteLine(FormattableString.Invariant($"heap={GC.GetTotalMemory(forceFullCollection: true)}"));
                }
            });
        }
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, front));
        listener.Listen(4096);
        while (true)
        {
            var socket = await listener.AcceptAsync();
            socket.NoDelay = true;
            _ = bouncyCastle ? ServeBcAsync(socket, bcOptions, backend) : ServeSslAsync(socket, sslOptions, backend);
        }
    }

    private static async Task ServeBcAsync(Socket socket, TlsEndpointOptions options, int backend)
    {
        using (socket)
        {
            var (failure, channel, _) = await BouncyCastleTlsEngine.HandshakeAsync(socket, options, TimeSpan.FromSeconds(10), CancellationToken.None);
            if (failure is not null)
            {
                await Console.Error.WriteLineAsync(failure.ToString());
                return;
            }
            try
            {
                // As the relay does: wait without a buffer, then read what the records held.
                await PumpAsync(() => channel!.WaitForDataAsync(CancellationToken.None), memory => channel!.ReceiveAsync(memory, CancellationToken.None), backend);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                // The load closed without close_notify: the session is over either way.
            }
        }
    }

    private static async Task ServeSslAsync(Socket socket, SslServerAuthenticationOptions options, int backend)
    {
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await ssl.AuthenticateAsServerAsync(options);
            // Zero-byte read first, as the relay's idle wait: no buffer held while the peer is silent.
            await PumpAsync(async () => _ = await ssl.ReadAsync(Memory<byte>.Empty), memory => ssl.ReadAsync(memory), backend);
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException)
        {
            // The load closed without close_notify, or a handshake failed: the session is over either way.
        }
    }

    /// <summary>Waits for clear bytes, reads them into a pooled buffer and forwards them to BACKEND, until the peer closes.</summary>
    private static async Task PumpAsync(Func<ValueTask> wait, Func<Memory<byte>, ValueTask<int>> read, int backend)
    {
        using var sink = backend == 0 ? null : await ConnectAsync(backend);
        while (true)
        {
            await wait();
            var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBytes);
            var n = await read(buffer);
            if (n > 0 && sink is not null)
            {
                await sink.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            }
            ArrayPool<byte>.Shared.Return(buffer);
            if (n == 0)
            {
                break;
            }
        }
        sink?.Shutdown(SocketShutdown.Send);
    }

    private static async Task<int> LoadAsync(int front, int backend, long count, string dir)
    {
        using var sinkListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        sinkListener.Bind(new IPEndPoint(IPAddress.Loopback, backend));
        sinkListener.Listen();
        await using var client = await ClientAsync(front, dir);
        using var sink = await sinkListener.AcceptAsync();
        var draining = Drain(sink);
        var chunk = new byte[ChunkBytes];
        Random.Shared.NextBytes(chunk);
        var clock = Stopwatch.StartNew();
        for (long sent = 0; sent < count; sent += chunk.Length)
        {
            await client.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, count - sent)));
        }
        await client.ShutdownAsync();
        var received = await draining;
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"bytes={received} seconds={seconds:0.000} MBps={received / seconds / 1e6:0}"));
        return received == count ? 0 : 1;
    }

    private static async Task<int> HandshakesAsync(int front, int count, string dir)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await using var client = await ClientAsync(front, dir);
        }
        Console.WriteLine(FormattableString.Invariant($"handshakes={count} seconds={clock.Elapsed.TotalSeconds:0.000}"));
        return 0;
    }

    private static async Task<int> HoldAsync(int front, int count, string dir)
    {
        var clients = new List<SslStream>(count);
        for (var i = 0; i < count; i++)
        {
            clients.Add(await ClientAsync(front, dir));
        }
        Console.WriteLine("held");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }

    private static async Task<SslStream> ClientAsync(int front, string dir)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, front));
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "mg",
            EnabledSslProtocols = SslProtocols.Tls13,
            AllowTlsResume = false,
            CipherSuitesPolicy = OperatingSystem.IsLinux() ? new CipherSuitesPolicy([TlsCipherSuite.TLS_AES_256_GCM_SHA384]) : null,
            ClientCertificates = [ClientCertificate(dir)],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        return ssl;
    }

    private static X509Certificate2? _clientCertificate;

    private static X509Certificate2 ClientCertificate(string dir) =>
        _clientCertificate ??= WithUsableKey(X509Certificate2.CreateFromPemFile(Path.Combine(dir, "client.pem"), Path.Combine(dir, "client.key")));

    /// <summary>Through PKCS#12 so the key is usable by the TLS stack on Linux.</summary>
    private static X509Certificate2 WithUsableKey(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }

    private static async Task<int> SinkAsync(int port)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(4096);
        while (true)
        {
            var socket = await listener.AcceptAsync();
            _ = DiscardAsync(socket);
        }
    }

    /// <summary>Shared by every sink connection: what lands in it is never read.</summary>
    private static readonly byte[] Discarded = new byte[ChunkBytes];

    private static async Task DiscardAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                do
                {
                    // Waits without a buffer, so held idle connections cost the sink nothing.
                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);
                }
                while (await socket.ReceiveAsync(Discarded, SocketFlags.None) > 0);
            }
            catch (SocketException)
            {
                // The relay reset it: nothing to discard any more.
            }
        }
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    private static async Task<long> Drain(Socket socket)
    {
        var buffer = new byte[ChunkBytes];
        long total = 0;
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0)
            {
                return total;
            }
            total += n;
        }
    }
}
