using System.Net;

namespace Megaco.Protocol.Association;

/// <summary>
/// Turns the domain name of an mId into addresses (H.248.1 Annex B <c>domainName</c>); <see cref="Dns"/> by default.
/// Called with a token cancelled at the resolution's time bound.
/// </summary>
public delegate Task<IPAddress[]> MIdResolver(string hostName, CancellationToken cancellationToken);
