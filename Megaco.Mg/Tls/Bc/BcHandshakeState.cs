using Org.BouncyCastle.Tls;

namespace Megaco.Mg.Tls;

/// <summary>
/// What the BouncyCastle peer callbacks learn during one handshake: the verified peer, the negotiated
/// parameters, and the cause of a refusal they raised themselves (BouncyCastle only reports the alert).
/// </summary>
internal sealed class BcHandshakeState(TlsEndpointOptions options)
{
    public TlsEndpointOptions Options { get; } = options;

    /// <summary>Set by the peer's NotifyHandshakeComplete, on the handshake's own flow.</summary>
    public bool Completed { get; private set; }

    public TlsFailureCause? Cause { get; private set; }

    public TlsFingerprint? MatchedFingerprint { get; private set; }

    public TlsVersion Version { get; private set; }

    public int CipherSuite { get; private set; }

    public void Complete(SecurityParameters parameters)
    {
        Version = TlsUtilities.IsTlsV13(parameters.NegotiatedVersion) ? TlsVersion.Tls13 : TlsVersion.Tls12;
        CipherSuite = parameters.CipherSuite;
        Completed = true;
    }

    /// <summary>Records why the handshake is about to fail, for BouncyCastle's own alert that follows.</summary>
    public void Note(TlsFailureCause cause) => Cause ??= cause;

    /// <summary>Refuses the handshake for <paramref name="cause"/>: BouncyCastle sends the alert and fails.</summary>
    public TlsFatalAlert Refuse(TlsFailureCause cause, short alert, string detail)
    {
        Note(cause);
        return new TlsFatalAlert(alert, detail);
    }

    /// <summary>
    /// RFC 8122 §5: the certificate the peer presented must match one of the Remote fingerprints, each with
    /// the hash it names. The peer's possession of the key is proven by the handshake signature BouncyCastle checks.
    /// </summary>
    public void VerifyPeer(Certificate? chain, bool tls13)
    {
        if (Options.Psk is not null)
        {
            // The PSK was not accepted and the peer fell back to a certificate: not our authentication.
            throw Refuse(TlsFailureCause.PskUnknown, AlertDescription.handshake_failure, "PSK not accepted by the peer");
        }
        if (chain is null || chain.IsEmpty)
        {
            // RFC 8446 §4.4.2.4: certificate_required when the client sends none in TLS 1.3.
            throw Refuse(TlsFailureCause.NoCertificate, tls13 ? AlertDescription.certificate_required : AlertDescription.handshake_failure, "no peer certificate");
        }
        var der = chain.GetCertificateAt(0).GetEncoded();
        foreach (var fingerprint in Options.RemoteFingerprints)
        {
            if (fingerprint.Matches(der))
            {
                MatchedFingerprint = fingerprint;
                return;
            }
        }
        throw Refuse(TlsFailureCause.FingerprintMismatch, AlertDescription.bad_certificate, "peer certificate matches no Remote fingerprint");
    }

    /// <summary>The cause of a handshake that ended with an alert we raised (<paramref name="received"/> false) or received.</summary>
    public TlsFailureCause CauseFor(short alert, bool received)
    {
        if (Cause is { } cause)
        {
            return cause;
        }
        if (Options.Psk is not null)
        {
            switch (alert)
            {
                case AlertDescription.unknown_psk_identity:
                    return TlsFailureCause.PskUnknown;
                case AlertDescription.decrypt_error or AlertDescription.bad_record_mac:
                    // The Finished MAC (TLS 1.2) or the binder (TLS 1.3) did not verify: same identity, other key.
                    return TlsFailureCause.PskBad;
            }
        }
        if (received)
        {
            return TlsFailureCause.PeerAlert;
        }
        return TlsFailureCause.Protocol;
    }
}
