namespace Megaco.Mg.Tls;

public enum TlsVersion : byte
{
    /// <summary>TLS 1.2 (RFC 5246), token <c>tls12</c> in the tlsx package.</summary>
    Tls12,

    /// <summary>TLS 1.3 (RFC 8446), token <c>tls13</c>.</summary>
    Tls13,
}

/// <summary>The tokens of tlsx/minver and of tlsx/est's <c>ver</c>.</summary>
public static class TlsVersions
{
    public static string Token(TlsVersion version) => version == TlsVersion.Tls13 ? "tls13" : "tls12";

    public static bool TryParse(string? token, out TlsVersion version)
    {
        switch (token)
        {
            case "tls12":
                version = TlsVersion.Tls12;
                return true;
            case "tls13":
                version = TlsVersion.Tls13;
                return true;
            default:
                version = default;
                return false;
        }
    }
}
