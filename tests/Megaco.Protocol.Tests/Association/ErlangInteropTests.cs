using Megaco.Protocol.Association;
using Megaco.Protocol.Model;
using Megaco.Protocol.Tests.Transactions;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Association;

/// <summary>
/// The association against Erlang/OTP megaco (tests/erlang), over UDP and TCP, pretty and compact, in every version
/// and in mixed-version pairs: the Erlang MG registers with our <see cref="MgcRegistry"/> and our MGC drives it through
/// <see cref="RegisteredMg.SendRequestAsync"/>; our <see cref="MgAssociation"/> registers with the Erlang MGC and the test's
/// MG behaviour answers its script. Both sides' results are checked: our replies and the peer's STEP lines.
/// </summary>
public static class ErlangInterop
{
    /// <summary>transport, encoding, our version, the Erlang peer's version, loopback host: the 12 same-version
    /// combinations and mixed pairs over IPv4, and TCP over IPv6 (Erlang's UDP transport is IPv4 only).</summary>
    public static TheoryData<string, string, int, int, string> Combinations()
    {
        var data = new TheoryData<string, string, int, int, string>();
        foreach (var transport in new[] { "udp", "tcp" })
        {
            foreach (var encoding in new[] { "pretty", "compact" })
            {
                for (var version = 1; version <= 3; version++)
                {
                    data.Add(transport, encoding, version, version, "127.0.0.1");
                }
            }
        }
        data.Add("udp", "compact", 3, 1, "127.0.0.1");
        data.Add("tcp", "pretty", 1, 3, "127.0.0.1");
        data.Add("udp", "pretty", 2, 3, "127.0.0.1");
        data.Add("tcp", "compact", 3, 2, "127.0.0.1");
        data.Add("tcp", "compact", 3, 3, "::1");
        data.Add("tcp", "pretty", 2, 1, "::1");
        return data;
    }

    /// <summary>A host as written in an endpoint or in the Erlang peers' <c>host:port</c> options.</summary>
    public static string InUri(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(25);

    public static IMegacoTransport Listen(string transport, PeerFilter? peers = null, string host = "127.0.0.1")
    {
        var options = new MegacoTransportOptions { Listen = MegacoEndpoint.Parse($"{transport}://{InUri(host)}:0"), Peers = peers ?? PeerFilter.AllowAny };
        return transport == "tcp" ? TcpTransport.Listen(options) : UdpTransport.Bind(options);
    }

    /// <summary>Erlang's own request timer (1 s, doubling, 3 resends), so a datagram lost to a VM still loading is resent soon.</summary>
    public static TransactionOptions Transactions(IMegacoTransport transport, string encoding, int version) => new()
    {
        MId = MIdAddresses.ToMId(transport.LocalEndpoint),
        Version = version,
        Style = encoding == "pretty" ? TextStyle.Pretty : TextStyle.Compact,
        RequestTimer = new RetransmitSchedule(TimeSpan.FromSeconds(1), 2, TimeSpan.Zero, TimeSpan.FromSeconds(4), 3),
    };

    /// <summary>A detail's <c>key=value</c> words.</summary>
    public static Dictionary<string, string> Details(string[] step) =>
        step.Length < 4 ? [] : step[3].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
}

/// <summary>Our MGC against the Erlang MG.</summary>
public sealed class ErlangMgInteropTests
{
    [Theory]
    [MemberData(nameof(ErlangInterop.Combinations), MemberType = typeof(ErlangInterop))]
    public async Task OurMgcRegistersAndDrivesTheErlangMg(string transport, string encoding, int ours, int theirs, string host)
    {
        var expected = Math.Min(ours, theirs);
        await using var listener = ErlangInterop.Listen(transport, host: host);
        var user = new RecordingMgcUser();
        await using var registry = new MgcRegistry(listener, ErlangInterop.Transactions(listener, encoding, ours),
            new MgcRegistryOptions { AllowRegistration = true, Version = ours }, user);
        registry.Start();
        await using var peer = StartMg(listener, transport, encoding, theirs, "--host", host);

        var register = await peer.StepAsync("register", ErlangInterop.StepTimeout);
        Assert.Equal("ok", register[2]);
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), ErlangInterop.Details(register)["version"]);
        var mg = await DriveAsync(registry, user, peer);
        Assert.Equal((expected, ServiceChangeMethod.Restart), (mg.Version, mg.Method));

        Assert.Equal(0, await peer.ExitAsync(ErlangInterop.StepTimeout));
        Assert.Contains(peer.Lines, l => l is ["DONE"]);
        if (transport == "tcp")
        {
            // The MG's VM is gone and its connection with it (H.248.1 Annex D.2): the MG is lost until it registers again.
            await Eventually.True(() => !user.Lost.IsEmpty, "the closed connection reported", 10_000);
            Assert.Contains("connection lost", Assert.Single(user.Lost).Reason, StringComparison.Ordinal);
            Assert.Equal(RegisteredMgState.Lost, mg.State);
        }
        else
        {
            Assert.Equal(RegisteredMgState.Registered, mg.State);
        }
    }

    [Theory]
    [InlineData("udp", "compact", 3, 3, "restart")]
    [InlineData("tcp", "pretty", 2, 1, "disconnected")]
    [InlineData("udp", "pretty", 1, 2, "disconnected")]
    [InlineData("tcp", "compact", 3, 2, "restart")]
    public async Task OurMgcTellsARestartOfTheErlangMgFromADisconnectedOne(string transport, string encoding, int ours, int theirs, string method)
    {
        await using var listener = ErlangInterop.Listen(transport);
        var user = new RecordingMgcUser();
        await using var registry = new MgcRegistry(listener, ErlangInterop.Transactions(listener, encoding, ours),
            new MgcRegistryOptions { AllowRegistration = true, Version = ours }, user);
        registry.Start();
        await using var peer = StartMg(listener, transport, encoding, theirs, "--reregister", method);
        await peer.StepAsync("register", ErlangInterop.StepTimeout);
        var mg = await DriveAsync(registry, user, peer);

        Assert.Equal("ok", (await peer.StepAsync("reregister", ErlangInterop.StepTimeout))[2]);
        await Eventually.True(() => user.Registered.Count == 2, "the second registration reported", 10_000);
        Assert.Equal(0, await peer.ExitAsync(ErlangInterop.StepTimeout));

        // Restart: the MG's contexts are gone and the user hears it; Disconnected: they are kept.
        Assert.Equal(method == "restart" ? 1 : 0, user.Restarted.Count);
        Assert.Equal(method == "restart" ? ServiceChangeMethod.Restart : ServiceChangeMethod.Disconnected, user.Methods.Last());
        Assert.Same(mg, Assert.Single(registry.Mgs));
        Assert.Equal((2, Math.Min(ours, theirs)), (mg.Registrations, mg.Version));
    }

    private static ErlangPeer StartMg(IMegacoTransport listener, string transport, string encoding, int version, params string[] more) =>
        ErlangPeer.Start("mg", [
            "--transport", transport, "--mgc", $"{ErlangInterop.InUri(listener.LocalEndpoint.EndPoint.Address.ToString())}:{listener.LocalEndpoint.EndPoint.Port}",
            "--port", ErlangPeer.FreePort(tcp: false).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--encoding", encoding, "--version", version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--timeout", "15", "--deadline", "50", .. more]);

    /// <summary>Through <see cref="RegisteredMg.SendRequestAsync"/>: Add, the MG's Notify answered, Modify, AuditValue,
    /// Subtract; our replies and the Erlang MG's STEP lines checked at each.</summary>
    private static async Task<RegisteredMg> DriveAsync(MgcRegistry registry, RecordingMgcUser user, ErlangPeer peer)
    {
        await Eventually.True(() => !user.Registered.IsEmpty, "the registration reported", 10_000);
        var mg = Assert.Single(registry.Mgs);
        Assert.Equal(RegisteredMgState.Registered, mg.State);

        using var cancel = new CancellationTokenSource(ErlangInterop.StepTimeout);
        var add = await mg.SendRequestAsync(Add(), cancel.Token);
        var added = Assert.Single(add.Reply!.Actions);
        Assert.Null(added.Error);
        var context = added.ContextId;
        var termination = Assert.IsType<AmmsReply>(Assert.Single(added.Commands)).TerminationIds[0];
        Assert.False(context.IsChoose || context.IsNull);
        Assert.Equal("msrp/1", termination.Text);
        Assert.Equal("ok", (await peer.StepAsync("add", ErlangInterop.StepTimeout))[2]);

        // The Erlang MG notifies about the new termination; our user answers it.
        Assert.Equal("ok", (await peer.StepAsync("notify", ErlangInterop.StepTimeout))[2]);
        var notify = Assert.IsType<NotifyRequest>(Assert.Single(user.Requests).Request.Actions[0].Commands[0].Command);
        Assert.Equal(termination, notify.TerminationIds[0]);

        var modify = await mg.SendRequestAsync(Command(context, new AmmRequest(AmmKind.Modify, [termination],
            [new MediaDescriptor(Stream: new StreamParms(new LocalControlDescriptor(StreamMode.ReceiveOnly)))])), cancel.Token);
        Assert.Null(modify.Reply!.Actions[0].Error);
        Assert.Equal("ReceiveOnly", ErlangInterop.Details(await peer.StepAsync("modify", ErlangInterop.StepTimeout))["mode"]);

        var audit = await mg.SendRequestAsync(Command(context, new AuditRequest(AuditKind.Value, [termination], new AuditDescriptor(AuditTokens.Media))), cancel.Token);
        var audited = Assert.IsType<AuditReply>(Assert.Single(audit.Reply!.Actions[0].Commands));
        var media = Assert.IsType<MediaDescriptor>(Assert.Single(audited.Audit!.Value, d => d is MediaDescriptor));
        Assert.Equal(StreamMode.ReceiveOnly, (media.Stream ?? media.Streams[0].Parms).LocalControl!.Mode);
        Assert.Equal("ok", (await peer.StepAsync("audit", ErlangInterop.StepTimeout))[2]);

        var subtract = await mg.SendRequestAsync(Command(context, new SubtractRequest([termination])), cancel.Token);
        Assert.Null(subtract.Reply!.Actions[0].Error);
        Assert.Equal("true", ErlangInterop.Details(await peer.StepAsync("subtract", ErlangInterop.StepTimeout))["context-deleted"]);
        return mg;
    }

    private static ValueList<ActionRequest> Add() =>
        Command(ContextId.Choose, new AmmRequest(AmmKind.Add, [TerminationId.Choose], [new MediaDescriptor(Stream: new StreamParms(
            new LocalControlDescriptor(StreamMode.SendReceive),
            LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=accept-types:message/cpim\n"),
            LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 127.0.0.1\nm=message 7394 TCP/MSRP *\na=path:msrp://127.0.0.1:7394/mgc;tcp\n")))]));

    private static ValueList<ActionRequest> Command(ContextId context, Command command) =>
        [new ActionRequest(context, [new CommandRequest(command)])];
}

/// <summary>Our MG against the Erlang MGC.</summary>
public sealed class ErlangMgcInteropTests
{
    [Theory]
    [MemberData(nameof(ErlangInterop.Combinations), MemberType = typeof(ErlangInterop))]
    public async Task OurMgRegistersWithTheErlangMgcAndAnswersItsScript(string transport, string encoding, int ours, int theirs, string host)
    {
        var expected = Math.Min(ours, theirs);
        var mgcPort = ErlangPeer.FreePort(transport == "tcp", host);
        await using var peer = ErlangPeer.Start("mgc", "--transport", transport, "--port", mgcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--encoding", encoding, "--version", theirs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--host", host, "--timeout", "15", "--deadline", "50");
        Assert.Equal("ok", (await peer.StepAsync("listen", ErlangInterop.StepTimeout))[2]);

        var options = new MgAssociationOptions { Mgcs = [MegacoEndpoint.Parse($"{transport}://{ErlangInterop.InUri(host)}:{mgcPort}")], Version = ours };
        await using var listener = ErlangInterop.Listen(transport, MgAssociation.PeerFilterFor(options), host);
        var user = new RecordingMgUser();
        await using var mg = new MgAssociation(listener, ErlangInterop.Transactions(listener, encoding, ours), options, user);
        mg.Start();

        var register = ErlangInterop.Details(await peer.StepAsync("register", ErlangInterop.StepTimeout));
        Assert.Equal(("restart", "901", ours.ToString(System.Globalization.CultureInfo.InvariantCulture), expected.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (register["method"], register["reason"], register["offered"], register["version"]));
        await Eventually.True(() => mg.State == MgAssociationState.Registered, "our MG registered", 10_000);
        Assert.Equal(expected, mg.Version);

        Assert.Equal("ok", (await peer.StepAsync("add", ErlangInterop.StepTimeout))[2]);
        await Eventually.True(() => user.Behaviour.Adds == 1, "the Add answered", 10_000);
        using var cancel = new CancellationTokenSource(ErlangInterop.StepTimeout);
        var notify = await mg.SendRequestAsync(RegistrationTests.Notify("msrp/1"), cancel.Token);
        Assert.Null(Assert.IsType<NotifyReply>(notify.Reply!.Actions[0].Commands[0]).Error);

        Assert.Equal("ReceiveOnly", ErlangInterop.Details(await peer.StepAsync("modify", ErlangInterop.StepTimeout))["mode"]);
        Assert.Equal("ok", (await peer.StepAsync("audit", ErlangInterop.StepTimeout))[2]);
        Assert.Equal("ok", (await peer.StepAsync("subtract", ErlangInterop.StepTimeout))[2]);
        Assert.Equal(0, await peer.ExitAsync(ErlangInterop.StepTimeout));
        Assert.Contains(peer.Lines, l => l is ["NOTIFY", var detail] && detail.Contains("termination=msrp/1", StringComparison.Ordinal));
        Assert.Contains(peer.Lines, l => l is ["DONE"]);
        Assert.Equal((1, 1, 1, 1), (user.Behaviour.Adds, user.Behaviour.Modifies, user.Behaviour.Audits, user.Behaviour.Subtracts));
        // Every request the Erlang MGC sent came in the agreed version.
        Assert.All(user.Requests, r => Assert.Equal(expected, r.Version));
    }

    [Theory]
    [InlineData("udp", "compact", 3, 3)]
    [InlineData("tcp", "pretty", 2, 1)]
    public async Task TheErlangMgcHandsOurMgToOurMgc(string transport, string encoding, int ours, int theirs)
    {
        await using var ourMgcListener = ErlangInterop.Listen(transport);
        var ourMgcUser = new RecordingMgcUser();
        await using var ourMgc = new MgcRegistry(ourMgcListener, ErlangInterop.Transactions(ourMgcListener, encoding, ours),
            new MgcRegistryOptions { AllowRegistration = true, Version = ours }, ourMgcUser);
        ourMgc.Start();
        var mgcPort = ErlangPeer.FreePort(transport == "tcp");
        await using var peer = ErlangPeer.Start("mgc", "--transport", transport, "--port", mgcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--encoding", encoding, "--version", theirs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--handoff", ourMgcListener.LocalEndpoint.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--timeout", "15", "--deadline", "50");
        Assert.Equal("ok", (await peer.StepAsync("listen", ErlangInterop.StepTimeout))[2]);

        var options = new MgAssociationOptions { Mgcs = [MegacoEndpoint.Parse($"{transport}://127.0.0.1:{mgcPort}"), ourMgcListener.LocalEndpoint], Version = ours };
        await using var listener = ErlangInterop.Listen(transport, MgAssociation.PeerFilterFor(options));
        var user = new RecordingMgUser();
        await using var mg = new MgAssociation(listener, ErlangInterop.Transactions(listener, encoding, ours), options, user);
        mg.Start();
        await peer.StepAsync("add", ErlangInterop.StepTimeout);
        await Eventually.True(() => user.Behaviour.Adds == 1, "the Add answered", 10_000);
        using var cancel = new CancellationTokenSource(ErlangInterop.StepTimeout);
        Assert.True((await mg.SendRequestAsync(RegistrationTests.Notify("msrp/1"), cancel.Token)).HasReply);

        var handOff = await peer.StepAsync("handoff", ErlangInterop.StepTimeout);
        Assert.Equal("ok", handOff[2]);
        Assert.Equal(0, await peer.ExitAsync(ErlangInterop.StepTimeout));
        await Eventually.True(() => !ourMgcUser.Registered.IsEmpty && mg.State == MgAssociationState.Registered, "registration with our MGC", 15_000);

        var registered = Assert.Single(ourMgc.Mgs);
        Assert.Equal(ServiceChangeMethod.HandOff, registered.Method);
        Assert.Equal(ours, registered.Version);
        Assert.Equal(ourMgcListener.LocalEndpoint, mg.Mgc);
        Assert.Equal([ServiceChangeMethod.Restart, ServiceChangeMethod.HandOff], user.ChangesOf(MgAssociationState.Registered).Select(c => c.Method!.Value));
        Assert.Equal(1, user.Behaviour.Subtracts);
    }
}
