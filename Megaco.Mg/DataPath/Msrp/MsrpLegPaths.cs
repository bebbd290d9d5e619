namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// The two MSRP URIs of one termination in MSRP-aware mode: <see cref="LocalUri"/> is the MG's own on this
/// leg (the <c>a=path</c> it filled into the Local descriptor, <c>msrps://</c> when the leg is TLS,
/// <c>msrp://</c> otherwise) and <see cref="RemoteUri"/> the peer's (the Remote descriptor's <c>a=path</c>).
/// </summary>
public sealed record MsrpLegPaths
{
    public MsrpLegPaths(string localUri, string remoteUri)
    {
        LocalUri = MsrpPathMapping.ValidateUri(localUri, nameof(localUri));
        RemoteUri = MsrpPathMapping.ValidateUri(remoteUri, nameof(remoteUri));
    }

    public string LocalUri { get; }

    public string RemoteUri { get; }
}
