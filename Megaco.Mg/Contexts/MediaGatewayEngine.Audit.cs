using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;

namespace Megaco.Mg.Contexts;

public sealed partial class MediaGatewayEngine
{
    private static readonly PkgdName RemoteAddressProperty = new("tcpx", "ra");
    private static readonly PkgdName LatchProperty = new("ipnapt", "latch");
    private static readonly PkgdName PskIdentityProperty = new("tlsx", "pskid");
    private static readonly PkgdName MinVersionProperty = new("tlsx", "minver");

    /// <summary>
    /// H.248.1 §7.2.5 AuditValue and §7.2.6 AuditCapabilities, of ROOT or of terminations (<c>*</c>: every
    /// one of the context). Capabilities come from the profile data (<see cref="ProfileCapabilities"/>).
    /// </summary>
    private void Audit(ActionScope scope, AuditRequest audit, List<CommandReply> replies)
    {
        if (IsRoot(audit.TerminationIds))
        {
            replies.Add(new AuditReply(audit.Kind, audit.TerminationIds, AuditRoot(audit)));
            return;
        }
        foreach (var termination in Resolve(scope, audit.TerminationIds))
        {
            ValueList<Descriptor>? returned = audit.Audit is not { } descriptor || IsEmpty(descriptor)
                ? null
                : audit.Kind == AuditKind.Value
                    ? new ValueList<Descriptor>(AuditValues(termination, descriptor))
                    : ProfileCapabilities.AuditCapabilities(_catalog, _validator.Profile, ClassOf(termination.Id));
            replies.Add(new AuditReply(audit.Kind, [termination.Id], returned));
        }
    }

    private ValueList<Descriptor>? AuditRoot(AuditRequest audit)
    {
        if (audit.Audit is not { } descriptor || IsEmpty(descriptor))
        {
            return null;
        }
        if (audit.Kind == AuditKind.Capabilities)
        {
            return ProfileCapabilities.AuditCapabilities(_catalog, _validator.Profile, TerminationId.Root);
        }
        var tokens = Tokens(descriptor);
        var returned = new List<Descriptor>(2);
        if ((tokens & AuditTokens.Media) != 0)
        {
            returned.Add(new MediaDescriptor(new TerminationStateDescriptor(ServiceState.InService)));
        }
        if ((tokens & AuditTokens.Packages) != 0)
        {
            returned.Add(ProfileCapabilities.Packages(_validator.Profile, ProfileCapabilities.ClassOf(_validator.Profile, TerminationId.Root)));
        }
        return new ValueList<Descriptor>(returned);
    }

    /// <summary>
    /// The current values of a termination for the audited items. Items the profile marks provisional under a
    /// public package id are left out (never sent, see profiles/README.md): today that is <c>ipnapt/latch</c>,
    /// so the latched address is reported through the private <c>tcpx/ra</c> instead. <c>tlsx/psk</c> is never returned.
    /// </summary>
    private List<Descriptor> AuditValues(MgTermination termination, AuditDescriptor audit)
    {
        var tokens = Tokens(audit);
        var returned = new List<Descriptor>(4);
        if ((tokens & AuditTokens.Media) != 0)
        {
            var state = new List<PropertyParm>(1);
            if (termination.PeerEndPoint is { } peer && Sendable(RemoteAddressProperty))
            {
                state.Add(new PropertyParm(RemoteAddressProperty, [peer.ToString()]));
            }
            var control = new List<PropertyParm>(1);
            if (Sendable(LatchProperty))
            {
                control.Add(new PropertyParm(LatchProperty, [termination.Latching ? "latch" : "off"]));
            }
            // tlsx/psk is write-only (profiles/packages/tlsx.json): its identity and the version floor are
            // reported, the key never.
            if (termination.Psk is { } psk && Sendable(PskIdentityProperty))
            {
                control.Add(new PropertyParm(PskIdentityProperty, [System.Text.Encoding.UTF8.GetString(psk.Identity)]));
            }
            if (termination.MinVersion is { } minimum && Sendable(MinVersionProperty))
            {
                control.Add(new PropertyParm(MinVersionProperty, [Megaco.Mg.Tls.TlsVersions.Token(minimum)]));
            }
            returned.Add(new MediaDescriptor(
                new TerminationStateDescriptor(termination.ServiceState, Properties: new ValueList<PropertyParm>(state)),
                new StreamParms(
                    new LocalControlDescriptor(termination.Mode, Properties: new ValueList<PropertyParm>(control)),
                    FilledLocal(termination),
                    termination.Remote)));
        }
        if ((tokens & AuditTokens.Events) != 0)
        {
            returned.Add(termination.Events ?? EventsDescriptor.Empty);
        }
        if ((tokens & AuditTokens.Signals) != 0)
        {
            returned.Add(SignalsDescriptor.Empty);
        }
        if ((tokens & AuditTokens.EventBuffer) != 0)
        {
            returned.Add(new EventBufferDescriptor(ValueList<ObservedEvent>.Empty));
        }
        if ((tokens & AuditTokens.Statistics) != 0 && Statistics(termination) is { } statistics)
        {
            returned.Add(statistics);
        }
        if ((tokens & AuditTokens.Packages) != 0)
        {
            returned.Add(ProfileCapabilities.Packages(_validator.Profile, ClassOf(termination.Id)));
        }
        return returned;
    }

    /// <summary>The descriptor tokens and the v2 individual audit items, folded into the descriptors they name.</summary>
    private static AuditTokens Tokens(AuditDescriptor audit)
    {
        var tokens = audit.Tokens;
        foreach (var parameter in audit.Parameters)
        {
            tokens |= parameter switch
            {
                IndAudMediaDescriptor => AuditTokens.Media,
                IndAudEventsDescriptor => AuditTokens.Events,
                IndAudEventBufferDescriptor => AuditTokens.EventBuffer,
                IndAudSignalsDescriptor => AuditTokens.Signals,
                IndAudStatisticsDescriptor => AuditTokens.Statistics,
                IndAudPackagesDescriptor => AuditTokens.Packages,
                _ => AuditTokens.None,
            };
        }
        return tokens;
    }

    private static bool IsEmpty(AuditDescriptor audit) => audit.Tokens == AuditTokens.None && audit.Parameters.IsEmpty;

    /// <summary>The class of a termination: by its id pattern, else the profile's ephemeral class (the contract's <c>msrp/N</c> ids).</summary>
    private TerminationClass? ClassOf(TerminationId id) => ProfileCapabilities.ClassOf(_validator.Profile, id) ?? _ephemeralClass;

    /// <summary>Whether a property may go on the wire: in the profile, and not provisional under a public id.</summary>
    private bool Sendable(PkgdName name) =>
        _validator.TryGetPackage(name.Package, out var package)
        && package.FindProperty(name.Item) is { } property
        && (!property.Provisional || package.IsPrivate || _validator.Profile.Private);
}
