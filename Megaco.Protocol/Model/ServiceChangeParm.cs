namespace Megaco.Protocol.Model;

public enum ServiceChangeMethod : byte
{
    Failover,
    Forced,
    Graceful,
    Restart,
    Disconnected,
    HandOff,
    /// <summary>An extension method (<c>X-...</c> / <c>X+...</c>) named in <see cref="ServiceChangeParm.MethodExtension"/>.</summary>
    Extension,
}

/// <summary>
/// <c>Services { ... }</c> of a ServiceChange request (H.248.1 §7.2.8, Annex B serviceChangeDescriptor):
/// method, reason, delay, address, profile, version, MgcIdToTry, timestamp, extensions,
/// v2 audit items (serviceChangeInfo) and the v3 ServiceChangeInc flag.
/// </summary>
public sealed record ServiceChangeParm(
    ServiceChangeMethod Method,
    string? Reason = null,
    uint? Delay = null,
    ServiceChangeAddress? Address = null,
    ServiceChangeProfile? Profile = null,
    ushort? Version = null,
    MId? MgcIdToTry = null,
    TimeNotation? Timestamp = null,
    ValueList<PropertyParm> Extensions = default,
    AuditDescriptor? Info = null,
    bool Incomplete = false,
    string? MethodExtension = null);

/// <summary><c>Services { ... }</c> of a ServiceChange reply (Annex B serviceChangeReplyDescriptor).</summary>
public sealed record ServiceChangeResParm(
    ServiceChangeAddress? Address = null,
    MId? MgcIdToTry = null,
    ServiceChangeProfile? Profile = null,
    ushort? Version = null,
    TimeNotation? Timestamp = null)
{
    public bool IsEmpty => Address is null && MgcIdToTry is null && Profile is null && Version is null && Timestamp is null;
}

/// <summary><c>ServiceChangeAddress = (mId / portNumber)</c>.</summary>
public sealed record ServiceChangeAddress(MId? MId = null, ushort? Port = null);

/// <summary><c>Profile = name / version</c>.</summary>
public sealed record ServiceChangeProfile(string Name, ushort? Version = null)
{
    public override string ToString() =>
        Version is { } v ? Name + "/" + v.ToString(System.Globalization.CultureInfo.InvariantCulture) : Name;
}
