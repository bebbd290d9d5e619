namespace Megaco.Mg.DataPath.Conference;

/// <summary>
/// One participant's counters: octets as on its connection (the termination's nt/or and nt/os), and
/// complete messages (a SEND chunk ending in <c>$</c>) received from it and delivered to it.
/// </summary>
public readonly record struct MsrpConferenceLegStats(long OctetsReceived, long OctetsSent, long MessagesReceived, long MessagesSent);
