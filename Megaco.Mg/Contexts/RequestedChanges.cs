using Megaco.Mg.Tls;
using Megaco.Protocol.Model;

namespace Megaco.Mg.Contexts;

/// <summary>What the descriptors of one Add, Modify or Move ask to change on a termination, read and checked before anything changes.</summary>
internal sealed class RequestedChanges
{
    public StreamMode? Mode { get; set; }

    public bool? Latching { get; set; }

    public ServiceState? ServiceState { get; set; }

    /// <summary>tlsx/pskid with tlsx/psk.</summary>
    public TlsPsk? Psk { get; set; }

    public TlsVersion? MinVersion { get; set; }

    /// <summary>Local as the MGC wrote it (with its <c>$</c>); null when not in the command.</summary>
    public LocalRemoteDescriptor? Local { get; set; }

    public LocalRemoteDescriptor? Remote { get; set; }

    /// <summary>The media plan from the new Local and Remote merged with what the termination had; null when neither changed.</summary>
    public TerminationMedia? Media { get; set; }

    /// <summary>RFC 4145 §5: the command's Local or Remote says <c>a=connection:new</c>.</summary>
    public bool NewConnection { get; set; }

    public EventsDescriptor? Events { get; set; }

    public AuditDescriptor? Audit { get; set; }
}
