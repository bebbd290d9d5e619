using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Megaco.Mg.Tests.Tls;
using Megaco.Mg.Tls;
using Megaco.Mg.Tests.DataPath;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>
/// A conference participant as the tests drive it, whatever carries its MSRP: a plain socket, a C# TLS client
/// (SslStream) or an openssl s_client (its stdin and stdout). <see cref="Path"/> is its a=path, <see cref="MgUri"/>
/// the MG's URI on its leg (filled in from the Add reply); what it sends and receives is counted, for the
/// Subtract statistics.
/// </summary>
internal sealed class ConferencePeer : IAsyncDisposable
{
    private readonly Stream _write;
    private readonly Stream _read;
    private readonly IAsyncDisposable? _owner;
    private readonly Socket? _socket;
    private readonly bool _lfOnly;

    private ConferencePeer(string path, Stream write, Stream read, IAsyncDisposable? owner, Socket? socket, bool lfOnly = false)
    {
        _lfOnly = lfOnly;
        Path = path;
        _write = write;
        _read = read;
        _owner = owner;
        _socket = socket;
    }

    public string Path { get; }

    public string MgUri { get; set; } = "";

    /// <summary>Octets written to the MG (clear, before any TLS).</summary>
    public long Sent { get; private set; }

    /// <summary>Octets read from the MG (clear, after any TLS).</summary>
    public long Received { get; private set; }

    public static ConferencePeer Plain(string path, Socket socket) =>
        new(path, new NetworkStream(socket, ownsSocket: false), new NetworkStream(socket, ownsSocket: false), null, socket);

    /// <summary>An s_client's stdin and stdout; <paramref name="lfOnly"/>: it runs with <c>-crlf</c> and is fed lines ending in LF alone.</summary>
    public static ConferencePeer OpenSslClient(string path, OpenSsl client, bool lfOnly = false) =>
        new(path, client.Stdin, client.Stdout, client, null, lfOnly);

    /// <summary>
    /// A C# TLS client on <paramref name="socket"/> presenting <paramref name="ue"/>'s certificate and accepting only
    /// the MG certificate whose fingerprint <paramref name="mgFingerprint"/> the MG put in its Local (RFC 8122 §5).
    /// </summary>
    public static async Task<ConferencePeer> SslClient(string path, Socket socket, UeCertificate ue, TlsFingerprint mgFingerprint, CancellationToken cancellationToken)
    {
        using var pem = X509Certificate2.CreateFromPemFile(ue.CertPath, ue.KeyPath);
        // SslStream on Linux wants a certificate whose key is not ephemeral.
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "mg",
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && TlsFingerprint.Compute(mgFingerprint.Hash, presented.GetRawCertData()).Equals(mgFingerprint),
            }, cancellationToken);
        }
        catch
        {
            await ssl.DisposeAsync();
            certificate.Dispose();
            throw;
        }
        return new ConferencePeer(path, ssl, ssl, new Owned(ssl, certificate), null);
    }

    /// <summary>Writes <paramref name="text"/> (CRLF line ends) to the MG; counts the octets the MG receives.</summary>
    public async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        var bytes = Encoding.Latin1.GetBytes(_lfOnly ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text);
        await _write.WriteAsync(bytes, cancellationToken);
        await _write.FlushAsync(cancellationToken);
        Sent += text.Length;
    }

    /// <summary>Writes <paramref name="bytes"/> as they are (a large message, in one go).</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        Assert.False(_lfOnly, "bytes are written as they are");
        await _write.WriteAsync(bytes, cancellationToken);
        await _write.FlushAsync(cancellationToken);
        Sent += bytes.Length;
    }

    /// <summary>The SHA-256 of exactly <paramref name="count"/> octets, read as they come, within the test timeout.</summary>
    public async Task<byte[]> ReadHashAsync(long count)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        for (var left = count; left > 0;)
        {
            var n = await _read.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cts.Token);
            Assert.True(n > 0, $"the stream ended {left} octets short of {count}");
            hash.AppendData(buffer, 0, n);
            left -= n;
        }
        Received += count;
        return hash.GetHashAndReset();
    }

    /// <summary>Exactly <paramref name="count"/> octets, within the test timeout.</summary>
    public async Task<string> ReadAsync(int count)
    {
        var buffer = new byte[count];
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        await _read.ReadExactlyAsync(buffer, cts.Token);
        Received += count;
        return Encoding.Latin1.GetString(buffer);
    }

    /// <summary>One MSRP message up to the end-line of <paramref name="transaction"/> (any flag), within the test timeout.</summary>
    public async Task<string> ReadMessageAsync(string transaction)
    {
        var endLine = "-------" + transaction;
        var text = new StringBuilder();
        var one = new byte[1];
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        while (!(text.Length > endLine.Length + 3 && text[^1] == '\n' && text.ToString(text.Length - endLine.Length - 3, endLine.Length) == endLine))
        {
            Assert.Equal(1, await _read.ReadAsync(one, cts.Token));
            text.Append((char)one[0]);
            Assert.True(text.Length < 64 * 1024, "no end-line for " + transaction + ": " + text);
        }
        Received += text.Length;
        return text.ToString();
    }

    /// <summary>The end of what the MG sends: 0 octets (its FIN or close_notify), within the test timeout.</summary>
    public async Task<int> ReadEndAsync()
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        return await _read.ReadAsync(new byte[16], cts.Token);
    }

    /// <summary>Half-closes towards the MG (TCP FIN, or for a TLS client close_notify and FIN).</summary>
    public async Task ShutdownAsync()
    {
        if (_socket is not null)
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        else if (_write is SslStream ssl)
        {
            await ssl.ShutdownAsync();
        }
        else
        {
            _write.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }
    }

    private sealed class Owned(SslStream ssl, X509Certificate2 certificate) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await ssl.DisposeAsync();
            certificate.Dispose();
        }
    }
}
