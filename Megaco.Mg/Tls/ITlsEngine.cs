using Megaco.Mg.DataPath;

namespace Megaco.Mg.Tls;

/// <summary>
/// A TLS implementation that turns an established TCP bearer into a verified <see cref="TlsLeg"/>.
/// <see cref="BouncyCastleTlsEngine"/> does everything (certificates and PSK); another engine may sit
/// behind the same interface for the certificate case.
/// </summary>
public interface ITlsEngine
{
    /// <summary>
    /// Runs the handshake within the handshake timeout and verifies the peer. Expected failures (a wrong
    /// fingerprint or key, an alert, a timeout, garbage) are outcomes; only the caller's cancellation throws.
    /// On failure the alert, if any, has been sent and the bearer is left for the caller to dispose.
    /// </summary>
    ValueTask<TlsOutcome> EstablishAsync(TcpBearer bearer, TlsEndpointOptions options, CancellationToken cancellationToken = default);
}
