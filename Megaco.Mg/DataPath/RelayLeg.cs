using Megaco.Mg.Tls;

namespace Megaco.Mg.DataPath;

/// <summary>
/// One side of a <see cref="Relay"/>: a plain bearer (its bytes relayed as they are, e2e mode) or a TLS leg
/// (terminated: decrypted on the way in, encrypted on the way out, e2ae and TLS-on-both-legs modes).
/// </summary>
public sealed class RelayLeg
{
    private RelayLeg(TcpBearer bearer, TlsLeg? tls)
    {
        Bearer = bearer;
        Tls = tls;
    }

    public TcpBearer Bearer { get; }

    /// <summary>The TLS session terminated on this side; null for a plain side.</summary>
    public TlsLeg? Tls { get; }

    public static RelayLeg Plain(TcpBearer bearer)
    {
        ArgumentNullException.ThrowIfNull(bearer);
        return new RelayLeg(bearer, null);
    }

    /// <summary>A side whose TLS session <see cref="TlsLeg.EstablishAsync"/> established and verified.</summary>
    public static RelayLeg Secured(TlsLeg leg)
    {
        ArgumentNullException.ThrowIfNull(leg);
        return new RelayLeg(leg.Bearer, leg);
    }
}
