using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tls;

/// <summary>The MG as TLS client: checks the server's certificate against the Remote fingerprints and sends its own, or offers a PSK.</summary>
internal sealed class BcTlsClientPeer(BcTlsCrypto crypto, BcHandshakeState state) : AbstractTlsClient(crypto), TlsAuthentication
{
    private readonly TlsEndpointOptions _options = state.Options;

    protected override ProtocolVersion[] GetSupportedVersions() => BcTls.Versions(_options);

    protected override int[] GetSupportedCipherSuites() => BcTls.CipherSuites(_options);

    public override bool ShouldCheckSigAlgOfPeerCerts() => false;

    public override TlsAuthentication GetAuthentication() => this;

    void TlsAuthentication.NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
        state.VerifyPeer(serverCertificate.Certificate, TlsUtilities.IsTlsV13(m_context));

    TlsCredentials? TlsAuthentication.GetClientCredentials(CertificateRequest certificateRequest) =>
        _options.Certificate is { } certificate
            ? BcTls.Signer(m_context, crypto, certificate, certificateRequest.SupportedSignatureAlgorithms, certificateRequest.GetCertificateRequestContext())
            : null;

    /// <summary>TLS 1.2 PSK key exchange (RFC 4279 §2).</summary>
    public override TlsPskIdentity? GetPskIdentity() =>
        _options.Psk is { } psk ? new BasicTlsPskIdentity(psk.IdentityArray, psk.KeyArray) : null;

    /// <summary>TLS 1.3 external PSK (RFC 8446 §4.2.11), with (EC)DHE (psk_dhe_ke, BouncyCastle's default mode).</summary>
    public override IList<TlsPskExternal>? GetExternalPsks() =>
        _options.Psk is { } psk && _options.MaxVersion == TlsVersion.Tls13
            ? [new BasicTlsPskExternal(psk.IdentityArray, crypto.CreateSecret(psk.KeyArray))]
            : null;

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        state.Complete(m_context.SecurityParameters);
    }
}
