namespace Megaco.Mg.Tls;

/// <summary>Why a TLS session was refused; each maps to a value of tlsx/fail's <c>cause</c> (in brackets).</summary>
public enum TlsFailureCause : byte
{
    /// <summary>The peer's certificate matches none of the Remote fingerprints (fpmismatch).</summary>
    FingerprintMismatch,

    /// <summary>The peer's PSK identity is not ours, or the server did not know ours (pskunknown).</summary>
    PskUnknown,

    /// <summary>Same identity, different key: Finished or binder verification failed (pskbad).</summary>
    PskBad,

    /// <summary>Fingerprints were given but the peer sent no certificate (nocert).</summary>
    NoCertificate,

    /// <summary>The handshake did not complete within the handshake timeout (timeout).</summary>
    Timeout,

    /// <summary>The peer sent a fatal alert; <see cref="TlsOutcome.Alert"/> says which (alert).</summary>
    PeerAlert,

    /// <summary>Anything else: malformed records, no common version or cipher suite, connection lost (protocol).</summary>
    Protocol,
}
