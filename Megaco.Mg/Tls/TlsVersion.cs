namespace Megaco.Mg.Tls;

public enum TlsVersion : byte
{
    /// <summary>TLS 1.2 (RFC 5246), token <c>tls12</c> in the tlsx package.</summary>
    Tls12,

    /// <summary>TLS 1.3 (RFC 8446), token <c>tls13</c>.</summary>
    Tls13,
}
