using Megaco.Mg.DataPath;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tls;

/// <summary>
/// TLS 1.2 and 1.3 with BouncyCastle's non-blocking protocol classes, for certificates (mutual, by
/// fingerprint) and PSKs (which SslStream cannot do). Renegotiation is refused (BouncyCastle answers a
/// renegotiation attempt with no_renegotiation); no session tickets are issued, so every handshake is full.
/// </summary>
public sealed class BouncyCastleTlsEngine : ITlsEngine
{
    public static BouncyCastleTlsEngine Instance { get; } = new();

    /// <summary>BcTlsCrypto holds only its random source, which BouncyCastle synchronises internally.</summary>
    private static readonly BcTlsCrypto Crypto = new MgTlsCrypto(new SecureRandom());

    public async ValueTask<TlsOutcome> EstablishAsync(TcpBearer bearer, TlsEndpointOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bearer);
        ArgumentNullException.ThrowIfNull(options);
        var (failure, channel, state) = await HandshakeAsync(bearer.Connection, options, options.HandshakeTimeout ?? bearer.Limits.HandshakeTimeout, cancellationToken).ConfigureAwait(false);
        return failure ?? TlsOutcome.Established(new TlsLeg(bearer, channel!, state.Version, state.CipherSuite, state.MatchedFingerprint));
    }

    /// <summary>The handshake on a connected socket: a failure outcome, or the established channel (for <see cref="EstablishAsync"/> and the benchmarks).</summary>
    internal static async ValueTask<(TlsOutcome? Failure, BcTlsChannel? Channel, BcHandshakeState State)> HandshakeAsync(
        System.Net.Sockets.Socket socket, TlsEndpointOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        options.Validate();
        var state = new BcHandshakeState(options);
        TlsProtocol protocol = options.Role == TlsRole.Server ? new BcServerProtocol() : new BcClientProtocol();
        var channel = new BcTlsChannel(socket, protocol);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (protocol is BcServerProtocol server)
            {
                server.Accept(new BcTlsServerPeer(Crypto, state));
            }
            else
            {
                ((BcClientProtocol)protocol).Connect(new BcTlsClientPeer(Crypto, state));
            }
            await channel.HandshakeAsync(state, deadline.Token).ConfigureAwait(false);
            return (null, channel, state);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (TlsOutcome.Failed(TlsFailureCause.Timeout, null, "no handshake within the timeout"), null, state);
        }
        catch (TlsFatalAlertReceived e)
        {
            return (TlsOutcome.Failed(state.CauseFor(e.AlertDescription, received: true), e.AlertDescription,
                "peer sent " + AlertDescription.GetText(e.AlertDescription)), null, state);
        }
        catch (TlsFatalAlert e)
        {
            return (TlsOutcome.Failed(state.CauseFor(e.AlertDescription, received: false), e.AlertDescription,
                "refused with " + AlertDescription.GetText(e.AlertDescription) + ": " + e.Message), null, state);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else the peer's bytes could provoke (I/O, malformed input BouncyCastle did not wrap).
            return (TlsOutcome.Failed(state.Cause ?? TlsFailureCause.Protocol, null, e.GetType().Name + ": " + e.Message), null, state);
        }
    }
}
