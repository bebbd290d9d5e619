namespace Megaco.Mgc.Sessions;

/// <summary>How one leg (termination) of an MSRP session is protected, which decides its Local descriptor (contract: Modes).</summary>
public enum LegSecurity : byte
{
    /// <summary>Clear MSRP over TCP: <c>TCP/MSRP</c>.</summary>
    Clear,

    /// <summary>e2e: the endpoints' TLS is relayed untouched (<c>TCP/TLS/MSRP</c>, no fingerprint in Local, no PSK); the MG never holds keys.</summary>
    Forwarded,

    /// <summary>TLS terminated by the MG, authenticated by certificate fingerprints (RFC 8122 §5, RFC 8122): <c>a=fingerprint:&lt;hash&gt; $</c> in Local.</summary>
    Certificate,

    /// <summary>TLS terminated by the MG, authenticated by a pre-shared key (<c>tlsx/pskid</c>, <c>tlsx/psk</c> in LocalControl).</summary>
    PreSharedKey,
}
