using System.Net;
using System.Threading.Channels;
using Megaco.Mg.Contexts;
using Megaco.Mg.Tests.DataPath;
using Megaco.Protocol;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Sdp;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;
using Megaco.TestSupport;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>
/// A test MGC and the MG engine joined over H.248 on UDP loopback: the MGC side is a TransactionManager that
/// sends requests and records the Notify commands it receives; the MG side is a TransactionManager whose user
/// is the engine, and the engine's notifications go back over the same association.
/// </summary>
internal sealed class Wire : IAsyncDisposable
{
    private static readonly Lazy<ProfileCatalog> LazyCatalog = new(() => ProfileLoader.LoadDirectory(Path.Combine(RepoPaths.RepoRoot, "profiles")));

    private readonly IMegacoTransport _mgTransport;
    private readonly IMegacoTransport _mgcTransport;
    private readonly TransactionManager _mg;
    private readonly TransactionManager _mgc;
    private readonly MgcUser _mgcUser = new();

    private Wire(MediaOptions options, ProfileDefinition profile)
    {
        Options = options;
        var validator = new ProfileValidator(Catalog, profile);
        var sink = new WireSink();
        Engine = new MediaGatewayEngine(options, Catalog, validator, sink);
        _mgTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0") });
        _mgcTransport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0") });
        _mg = new TransactionManager(_mgTransport, new EngineUser(Engine),
            new TransactionOptions { MId = MId.IPv4("127.0.0.1", (ushort)_mgTransport.LocalEndpoint.EndPoint.Port), Version = 3 });
        _mgc = new TransactionManager(_mgcTransport, _mgcUser,
            new TransactionOptions { MId = MId.IPv4("127.0.0.1", (ushort)_mgcTransport.LocalEndpoint.EndPoint.Port), Version = 3 });
        sink.Connect(_mg, _mgcTransport.LocalEndpoint);
        _mg.Start();
        _mgc.Start();
    }

    public static ProfileCatalog Catalog => LazyCatalog.Value;

    public MediaOptions Options { get; }

    public MediaGatewayEngine Engine { get; }

    /// <summary>Notify commands the MG sent to the test MGC, in arrival order.</summary>
    public ChannelReader<(ContextId Context, TerminationId Termination, ObservedEventsDescriptor Events)> Notifications => _mgcUser.Notifications.Reader;

    /// <summary>An engine on the iq profile (or <paramref name="profile"/>) over a port range of <paramref name="ports"/> below the ephemeral range.</summary>
    public static Wire Start(int ports = 16, int maxContexts = 100, int maxTerminations = 2, string profile = "iq", bool privateProfile = false, Action<MediaOptions>? configure = null)
    {
        var first = FreeRange(ports);
        var options = new MediaOptions
        {
            BearerAddress = "127.0.0.1",
            FirstPort = first,
            LastPort = first + ports - 1,
            MaxContexts = maxContexts,
            MaxTerminationsPerContext = maxTerminations,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        var definition = Catalog.GetProfile(profile);
        return new Wire(options, privateProfile ? definition with { Private = true } : definition);
    }

    /// <summary>
    /// A run of <paramref name="count"/> ports below the ephemeral range that nothing listens on now (other
    /// tests rent random ranges too; a pool skips a taken port, but an exhaustion test counts them).
    /// </summary>
    private static int FreeRange(int count)
    {
        for (var attempt = 0; ; attempt++)
        {
            var first = Random.Shared.Next(20_000, 32_000 - count);
            var probes = new List<System.Net.Sockets.Socket>(count);
            try
            {
                for (var port = first; port < first + count; port++)
                {
                    var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                    probes.Add(probe);
                    probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }
                return first;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 100)
            {
                // Taken: try another range.
            }
            finally
            {
                probes.ForEach(p => p.Dispose());
            }
        }
    }

    /// <summary>Sends one transaction and returns its reply (failing the test when there is none).</summary>
    public async Task<TransactionReply> Send(params ActionRequest[] actions)
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var result = await _mgc.SendRequestAsync(_mgTransport.LocalEndpoint, new ValueList<ActionRequest>(actions), cts.Token);
        Assert.True(result.HasReply, "no reply: " + result.Failure);
        return result.Reply!;
    }

    /// <summary>The next Notify, within the test timeout.</summary>
    public async Task<(ContextId Context, TerminationId Termination, ObservedEventsDescriptor Events)> NextNotify()
    {
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        return await Notifications.ReadAsync(cts.Token);
    }

    /// <summary>Waits for the next Notify of <paramref name="item"/> on <paramref name="termination"/>, skipping others.</summary>
    public async Task<ObservedEvent> NextEvent(TerminationId termination, string item)
    {
        while (true)
        {
            var (_, id, events) = await NextNotify();
            foreach (var observed in events.Events)
            {
                if (id == termination && observed.Name.ToString() == item)
                {
                    return observed;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _mgc.DisposeAsync();
        await _mg.DisposeAsync();
        await _mgcTransport.DisposeAsync();
        await _mgTransport.DisposeAsync();
        await Engine.DisposeAsync();
    }

    // --- request builders (the Iq control contract) ---

    public static LocalRemoteDescriptor Local(string setup = "$", string protocol = MsrpMedia.TcpProtocol, string extra = "") =>
        LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 $\nm=message $ " + protocol + " *\na=setup:" + setup + "\n" + extra);

    public static LocalRemoteDescriptor Remote(IPEndPoint peer, string setup, string protocol = MsrpMedia.TcpProtocol) =>
        LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 " + peer.Address + "\nm=message " + peer.Port + " " + protocol + " *\na=setup:" + setup + "\n");

    /// <summary>A UE that connects to the MG (RFC 4145 active, m= port 9).</summary>
    public static LocalRemoteDescriptor ActivePeer(IPAddress address, string protocol = MsrpMedia.TcpProtocol) =>
        Remote(new IPEndPoint(address, 9), "active", protocol);

    public static EventsDescriptor Events(uint requestId, params string[] names) =>
        new(requestId, new ValueList<RequestedEvent>(names.Select(n => new RequestedEvent(Name(n)))));

    public static PkgdName Name(string text)
    {
        var slash = text.IndexOf('/');
        return new PkgdName(text[..slash], text[(slash + 1)..]);
    }

    public static MediaDescriptor Media(LocalRemoteDescriptor? local = null, LocalRemoteDescriptor? remote = null, StreamMode? mode = null, bool latch = false) =>
        new(Stream: new StreamParms(
            LocalControl: mode is not null || latch
                ? new LocalControlDescriptor(mode, Properties: latch ? [PropertyParm.Of("ipnapt", "latch", "latch")] : default)
                : null,
            Local: local,
            Remote: remote));

    public static CommandRequest Add(params Descriptor[] descriptors) =>
        new(new AmmRequest(AmmKind.Add, [TerminationId.Choose], new ValueList<Descriptor>(descriptors)));

    public static CommandRequest Modify(TerminationId id, params Descriptor[] descriptors) =>
        new(new AmmRequest(AmmKind.Modify, [id], new ValueList<Descriptor>(descriptors)));

    public static CommandRequest Subtract(TerminationId id) => new(new SubtractRequest([id]));

    public static CommandRequest AuditValue(TerminationId id, AuditTokens tokens) =>
        new(new AuditRequest(AuditKind.Value, [id], new AuditDescriptor(tokens)));

    public static ActionRequest Action(ContextId context, params CommandRequest[] commands) =>
        new(context, new ValueList<CommandRequest>(commands));

    /// <summary>A context of two passive legs, a client connected to each (from <see cref="Loopback.Ue1"/>), relaying.</summary>
    public static async Task<(ContextId Context, TerminationId A, TerminationId B, System.Net.Sockets.Socket ClientA, System.Net.Sockets.Socket ClientB)> ConnectedPair(Wire wire)
    {
        var reply = Single(await wire.Send(Action(ContextId.Choose,
            Add(Media(Local("passive"), ActivePeer(Loopback.Ue1))),
            Add(Media(Local("passive"), ActivePeer(Loopback.Ue1)), Events(1, "tcpx/est")))));
        var clientA = await Loopback.ConnectFrom(Loopback.Ue1, EndPointOf(reply.Commands[0]));
        var clientB = await Loopback.ConnectFrom(Loopback.Ue1, EndPointOf(reply.Commands[1]));
        await wire.NextEvent(reply.Commands[1].TerminationIds[0], "tcpx/est");
        return (reply.ContextId, reply.Commands[0].TerminationIds[0], reply.Commands[1].TerminationIds[0], clientA, clientB);
    }

    // --- reading replies ---

    public static ActionReply Single(TransactionReply reply)
    {
        Assert.Null(reply.Error);
        return Assert.Single(reply.Actions.AsSpan().ToArray());
    }

    /// <summary>The filled Local descriptor of an Add or Modify reply, read as MSRP media.</summary>
    public static MsrpMedia LocalOf(CommandReply reply)
    {
        var amms = Assert.IsType<AmmsReply>(reply);
        var media = Assert.Single(amms.Audit!.Value.AsSpan().ToArray().OfType<MediaDescriptor>());
        var session = SessionDescription.FromDescriptor(media.Stream!.Local!);
        Assert.True(MsrpMedia.TryRead(session, out var msrp, out _, out var error), error);
        return msrp;
    }

    public static IPEndPoint EndPointOf(CommandReply reply)
    {
        var local = LocalOf(reply);
        return new IPEndPoint(local.Address!, local.Port!.Value);
    }

    public static long Statistic(CommandReply reply, string name)
    {
        var amms = Assert.IsType<AmmsReply>(reply);
        var statistics = Assert.Single(amms.Audit!.Value.AsSpan().ToArray().OfType<StatisticsDescriptor>());
        var parameter = statistics.Parameters.AsSpan().ToArray().Single(p => p.Name.ToString() == name);
        return long.Parse(parameter.Values!.Value[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static ushort ErrorCode(TransactionReply reply)
    {
        Assert.Null(reply.Error);
        var error = reply.Actions[^1].Error;
        Assert.NotNull(error);
        return error.Code;
    }

    /// <summary>The MG side's IMegacoUser: every request goes to the engine (what the association will do).</summary>
    internal sealed class EngineUser(MediaGatewayEngine engine) : IMegacoUser
    {
        public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken) =>
            engine.ExecuteAsync(request, cancellationToken);
    }

    private sealed class MgcUser : IMegacoUser
    {
        public Channel<(ContextId, TerminationId, ObservedEventsDescriptor)> Notifications { get; } =
            Channel.CreateUnbounded<(ContextId, TerminationId, ObservedEventsDescriptor)>();

        public ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken)
        {
            var replies = new List<ActionReply>();
            foreach (var action in request.Request.Actions)
            {
                var commands = new List<CommandReply>();
                foreach (var command in action.Commands)
                {
                    if (command.Command is NotifyRequest { ObservedEvents: { } observed } notify)
                    {
                        Notifications.Writer.TryWrite((action.ContextId, notify.TerminationIds[0], observed));
                        commands.Add(new NotifyReply(notify.TerminationIds));
                    }
                }
                replies.Add(new ActionReply(action.ContextId, new ValueList<CommandReply>(commands)));
            }
            return ValueTask.FromResult(TransactionAnswer.Replies(new ValueList<ActionReply>(replies)));
        }
    }

    /// <summary>The engine's notifications, sent by the MG's TransactionManager to the test MGC.</summary>
    private sealed class WireSink : INotificationSink
    {
        private TransactionManager? _mg;
        private MegacoEndpoint? _mgc;

        public void Connect(TransactionManager mg, MegacoEndpoint mgc)
        {
            _mg = mg;
            _mgc = mgc;
        }

        public async ValueTask NotifyAsync(ContextId context, TerminationId termination, ObservedEventsDescriptor observedEvents, CancellationToken cancellationToken)
        {
            await _mg!.SendRequestAsync(_mgc!, [new ActionRequest(context, [new CommandRequest(new NotifyRequest([termination], observedEvents))])], cancellationToken);
        }
    }
}
