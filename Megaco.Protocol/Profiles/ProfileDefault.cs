using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>A property value the profile fixes by default (timers, limits).</summary>
public sealed record ProfileDefault(PkgdName Property, string Value);
