using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tls;

/// <summary>The MG as TLS server: asks for the client's certificate (mutual fingerprint authentication) or takes a PSK.</summary>
internal sealed class BcTlsServerPeer(BcTlsCrypto crypto, BcHandshakeState state) : AbstractTlsServer(crypto), TlsPskIdentityManager
{
    private readonly TlsEndpointOptions _options = state.Options;

    protected override ProtocolVersion[] GetSupportedVersions() => BcTls.Versions(_options);

    protected override int[] GetSupportedCipherSuites() => BcTls.CipherSuites(_options);

    /// <summary>Peers are trusted by fingerprint, not by a chain: whatever algorithm signed their certificate is irrelevant.</summary>
    public override bool ShouldCheckSigAlgOfPeerCerts() => false;

    public override TlsCredentials? GetCredentials() =>
        _options.Psk is not null
            ? null
            : BcTls.Signer(m_context, crypto, _options.Certificate!, m_context.SecurityParameters.ClientSigAlgs, null);

    public override CertificateRequest? GetCertificateRequest()
    {
        if (_options.Psk is not null)
        {
            return null;
        }
        var algorithms = TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context);
        return TlsUtilities.IsTlsV13(m_context)
            ? new CertificateRequest(TlsUtilities.EmptyBytes, algorithms, null, null)
            : new CertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], algorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate) =>
        state.VerifyPeer(clientCertificate, TlsUtilities.IsTlsV13(m_context));

    public override TlsPskIdentityManager? GetPskIdentityManager() => _options.Psk is null ? null : this;

    /// <summary>TLS 1.3 external PSK (RFC 8446 §4.2.11): ours if one offered identity is ours.</summary>
    public override TlsPskExternal? GetExternalPsk(IList<PskIdentity> identities)
    {
        if (_options.Psk is not { } psk)
        {
            return null;
        }
        foreach (var identity in identities)
        {
            if (CryptographicOperations.FixedTimeEquals(identity.Identity, psk.IdentityArray))
            {
                return new BasicTlsPskExternal(psk.IdentityArray, crypto.CreateSecret(psk.KeyArray));
            }
        }
        state.Note(TlsFailureCause.PskUnknown);
        return null;
    }

    byte[]? TlsPskIdentityManager.GetHint() => null;

    /// <summary>TLS 1.2 PSK key exchange (RFC 4279 §2): null makes BouncyCastle send unknown_psk_identity.</summary>
    byte[]? TlsPskIdentityManager.GetPsk(byte[] identity)
    {
        var psk = _options.Psk!;
        if (CryptographicOperations.FixedTimeEquals(identity, psk.IdentityArray))
        {
            return psk.KeyArray;
        }
        state.Note(TlsFailureCause.PskUnknown);
        return null;
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        state.Complete(m_context.SecurityParameters);
    }
}
