using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Megaco.Mg.DataPath;

namespace Megaco.Mg.Tls;

/// <summary>
/// TLS by .NET's SslStream (OpenSSL underneath) for the certificate case, with the same mutual fingerprint
/// check as <see cref="BouncyCastleTlsEngine"/>; PSK options go to BouncyCastle, as SslStream has no PSK.
/// Cheaper per handshake with RSA certificates (see README, tls-compare.sh); the peer's alerts are not
/// visible through SslStream, so a refusal the MG did not decide itself is reported as a protocol error.
/// </summary>
public sealed class SslStreamTlsEngine : ITlsEngine
{
    public static SslStreamTlsEngine Instance { get; } = new();

    public async ValueTask<TlsOutcome> EstablishAsync(TcpBearer bearer, TlsEndpointOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bearer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Psk is not null)
        {
            return await BouncyCastleTlsEngine.Instance.EstablishAsync(bearer, options, cancellationToken).ConfigureAwait(false);
        }
        var socket = bearer.Connection;
        var verdict = new Verdict(options.RemoteFingerprints);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.HandshakeTimeout ?? bearer.Limits.HandshakeTimeout);
        try
        {
            if (options.Role == TlsRole.Server)
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = options.Certificate!.SslContext,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = Protocols(options),
                    CipherSuitesPolicy = Policy(options),
                    AllowRenegotiation = false,
                    AllowTlsResume = false,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = verdict.Check,
                }, deadline.Token).ConfigureAwait(false);
            }
            else
            {
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = string.Empty,
                    ClientCertificateContext = options.Certificate!.SslContext,
                    EnabledSslProtocols = Protocols(options),
                    CipherSuitesPolicy = Policy(options),
                    AllowRenegotiation = false,
                    AllowTlsResume = false,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = verdict.Check,
                }, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            return e is OperationCanceledException
                ? TlsOutcome.Failed(TlsFailureCause.Timeout, null, "no handshake within the timeout")
                : TlsOutcome.Failed(verdict.Cause ?? TlsFailureCause.Protocol, null, e.GetType().Name + ": " + e.Message);
        }
        var version = ssl.SslProtocol == SslProtocols.Tls13 ? TlsVersion.Tls13 : TlsVersion.Tls12;
        return TlsOutcome.Established(new TlsLeg(bearer, new SslStreamChannel(ssl, socket), version, (int)ssl.NegotiatedCipherSuite, verdict.Matched));
    }

    private static SslProtocols Protocols(TlsEndpointOptions options) =>
        (options.MinVersion == TlsVersion.Tls12 ? SslProtocols.Tls12 : SslProtocols.None)
        | (options.MaxVersion == TlsVersion.Tls13 ? SslProtocols.Tls13 : SslProtocols.None);

    /// <summary>The policy's suites by their IANA numbers, which <see cref="TlsCipherSuite"/> shares; Windows takes the system's.</summary>
    private static CipherSuitesPolicy? Policy(TlsEndpointOptions options) =>
        OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()
            ? new CipherSuitesPolicy(options.CipherPolicy.Offer(options.MinVersion, psk: false, options.Certificate!.KeyType).Select(suite => (TlsCipherSuite)suite))
            : null;

    /// <summary>The fingerprint check (RFC 8122 §5) in place of chain validation, and what it decided.</summary>
    private sealed class Verdict(IReadOnlyList<TlsFingerprint> expected)
    {
        public TlsFailureCause? Cause { get; private set; }

        public TlsFingerprint? Matched { get; private set; }

        public bool Check(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate is null)
            {
                Cause = TlsFailureCause.NoCertificate;
                return false;
            }
            var der = certificate.GetRawCertData();
            Matched = expected.FirstOrDefault(fingerprint => fingerprint.Matches(der));
            Cause = Matched is null ? TlsFailureCause.FingerprintMismatch : null;
            return Matched is not null;
        }
    }
}
