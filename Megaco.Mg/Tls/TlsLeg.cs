using Megaco.Mg.DataPath;

namespace Megaco.Mg.Tls;

/// <summary>
/// A bearer whose TLS session is established and whose peer is verified: the relay's TLS side
/// (<see cref="RelayLeg.Secured"/>). Bytes read from it are decrypted; bytes written to it are encrypted.
/// </summary>
public sealed class TlsLeg
{
    internal TlsLeg(TcpBearer bearer, ITlsChannel channel, TlsVersion version, int cipherSuite, TlsFingerprint? matchedFingerprint)
    {
        Bearer = bearer;
        Channel = channel;
        Version = version;
        CipherSuite = cipherSuite;
        MatchedFingerprint = matchedFingerprint;
    }

    public TcpBearer Bearer { get; }

    public TlsVersion Version { get; }

    /// <summary>The IANA cipher suite number.</summary>
    public int CipherSuite { get; }

    /// <summary>The IANA cipher suite name (tlsx/est's <c>cs</c>).</summary>
    public string CipherSuiteName => TlsCipherPolicy.Name(CipherSuite);

    /// <summary>The Remote fingerprint the peer's certificate matched; null with a PSK.</summary>
    public TlsFingerprint? MatchedFingerprint { get; }

    internal ITlsChannel Channel { get; }

    /// <summary>
    /// Runs the handshake on an established bearer with BouncyCastle (<see cref="BouncyCastleTlsEngine"/>);
    /// see <see cref="ITlsEngine.EstablishAsync"/>.
    /// </summary>
    public static ValueTask<TlsOutcome> EstablishAsync(TcpBearer bearer, TlsEndpointOptions options, CancellationToken cancellationToken = default) =>
        BouncyCastleTlsEngine.Instance.EstablishAsync(bearer, options, cancellationToken);
}
