namespace Megaco.Protocol.Model;

/// <summary>The descriptor names that can be audited by token alone (H.248.1 Annex B auditItem).</summary>
[Flags]
public enum AuditTokens : ushort
{
    None = 0,
    Mux = 1 << 0,
    Modem = 1 << 1,
    Media = 1 << 2,
    DigitMap = 1 << 3,
    ObservedEvents = 1 << 4,
    Packages = 1 << 5,
    Statistics = 1 << 6,
    Signals = 1 << 7,
    EventBuffer = 1 << 8,
    Events = 1 << 9,
}

/// <summary>
/// <c>Audit { [auditItem *(, auditItem)] }</c> (H.248.1 §7.1.13): descriptor tokens and, from v2,
/// individual audit (indAud) items. <c>Audit { }</c> is valid and audits nothing.
/// </summary>
public sealed record AuditDescriptor(AuditTokens Tokens = AuditTokens.None, ValueList<IndAuditParameter> Parameters = default) : Descriptor
{
    public static readonly AuditDescriptor Empty = new();
}

/// <summary>A returned descriptor name with no content in a terminationAudit (auditReturnItem).</summary>
public sealed record AuditReturnItemDescriptor(AuditTokens Item) : Descriptor;
