namespace Megaco.Protocol.Profiles;

/// <summary>
/// The name and version a profile is announced with in ServiceChange (H.248.1 §7.2.8,
/// ServiceChangeProfile). Provisional while the 3GPP text that fixes the string is unread.
/// </summary>
public sealed record ProfileIdentity(string Name, ushort Version, bool Provisional = false, string? Note = null)
{
    public override string ToString() => Name + "/" + Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
