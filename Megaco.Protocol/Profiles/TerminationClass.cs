using Megaco.Protocol.Model;

namespace Megaco.Protocol.Profiles;

/// <summary>
/// A kind of termination the profile describes (ROOT, ephemeral IP/TCP) and the packages that
/// apply to it; <see cref="Termination"/> is a termination id pattern such as <c>ip/*</c>.
/// </summary>
public sealed record TerminationClass(string Name, string Termination, bool Ephemeral, ValueList<string> Packages, string? Note = null);
