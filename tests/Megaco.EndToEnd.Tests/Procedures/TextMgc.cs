using System.Globalization;
using System.Net;
using System.Text;
using Megaco.EndToEnd.Tests.Support;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;

namespace Megaco.EndToEnd.Tests.Procedures;

/// <summary>
/// The controlling side of a profile's procedures (the IMS-ALG on Iq, the IBCF on Ix, the MRFC on Mp) as their H.248
/// text (H.248.1 Annex B), sent as written to the MG process registered with <see cref="MgRig"/>'s MGC: no controller
/// in between, so a procedure test shows the commands, descriptors and replies the profile speaks of. The MG's Notify
/// commands are kept (and acknowledged) for the test.
/// </summary>
internal sealed class TextMgc
{
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(15);

    private readonly MgRig _rig;
    private readonly List<(TerminationId Termination, ObservedEvent Event)> _events = [];

    public TextMgc(MgRig rig)
    {
        _rig = rig;
        rig.Mgc.Requests = OnRequestAsync;
    }

    /// <summary>Runs <paramref name="body"/> against a fresh MG process on <paramref name="profile"/>, bounded in time.</summary>
    public static async Task RunAsync(string profile, Func<MgRig, TextMgc, CancellationToken, Task> body)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var rig = await MgRig.StartAsync(profile: profile);
        await body(rig, new TextMgc(rig), timeout.Token);
    }

    /// <summary>Sends the actions written in <paramref name="actions"/> as one transaction; returns the MG's reply,
    /// whose transaction-level error (if any) fails the test.</summary>
    public async Task<TransactionReply> SendAsync(string actions, CancellationToken ct)
    {
        var text = "MEGACO/3 [127.0.0.1]:2944\nTransaction = 1 {\n" + actions + "\n}\n";
        var read = MegacoTextReader.Default.Read(Encoding.ASCII.GetBytes(text));
        Assert.True(read.IsSuccess, $"the test's own H.248 text does not read: {read.FirstError}\n{text}");
        var request = Assert.IsType<TransactionRequest>(Assert.Single(read.Message!.Transactions.AsSpan().ToArray()));
        var result = await _rig.Mg.SendRequestAsync(request.Actions, ct);
        Assert.True(result.HasReply, $"no reply ({result.Failure}); MG output:\n{_rig.Process.Output}");
        Assert.Null(result.Reply!.Error);
        return result.Reply;
    }

    /// <summary>The first Notify (already received or to come) of <paramref name="name"/> (e.g. <c>tcpx/est</c>) on
    /// <paramref name="termination"/>; fails the test after a bounded wait.</summary>
    public async Task<ObservedEvent> EventAsync(TerminationId termination, string name, CancellationToken ct)
    {
        var until = DateTime.UtcNow + EventTimeout;
        while (true)
        {
            if (Find(termination, name) is { } found)
            {
                return found;
            }
            if (DateTime.UtcNow > until)
            {
                string seen;
                lock (_events)
                {
                    seen = string.Join(", ", _events.Select(e => $"{e.Event.Name} on {e.Termination}"));
                }
                Assert.Fail($"no {name} on {termination} within {EventTimeout.TotalSeconds} s; events: {seen}; MG output:\n{_rig.Process.Output}");
            }
            await Task.Delay(20, ct);
        }
    }

    private ObservedEvent? Find(TerminationId termination, string name)
    {
        lock (_events)
        {
            return _events.FirstOrDefault(e => e.Termination == termination
                && string.Equals(e.Event.Name.ToString(), name, StringComparison.OrdinalIgnoreCase)).Event;
        }
    }

    private ValueTask<TransactionAnswer> OnRequestAsync(IncomingRequest request, CancellationToken cancellationToken)
    {
        var replies = new List<ActionReply>();
        foreach (var action in request.Request.Actions)
        {
            var commands = new List<CommandReply>();
            foreach (var command in action.Commands)
            {
                if (command.Command is NotifyRequest notify)
                {
                    lock (_events)
                    {
                        _events.AddRange((notify.ObservedEvents?.Events ?? default).AsSpan().ToArray().Select(e => (notify.TerminationIds[0], e)));
                    }
                    commands.Add(new NotifyReply(notify.TerminationIds));
                }
            }
            replies.Add(new ActionReply(action.ContextId, [.. commands]));
        }
        return ValueTask.FromResult(TransactionAnswer.Replies([.. replies]));
    }

    // --- the SDP of the Iq control contract (Local with $ for what the MG chooses; Remote as the peer offered) ---

    /// <summary>A Local descriptor: the MG fills c= and the port; <paramref name="setup"/> is its own TCP role.</summary>
    public static string Local(string setup, string protocol = MsrpMedia.TcpProtocol) =>
        $"Local {{\nv=0\nc=IN IP4 $\nm=message $ {protocol} *\na=setup:{setup}\n}}";

    /// <summary>A Remote descriptor: the peer at <paramref name="peer"/> with its TCP role <paramref name="setup"/>.</summary>
    public static string Remote(IPEndPoint peer, string setup, string protocol = MsrpMedia.TcpProtocol) =>
        $"Remote {{\nv=0\nc=IN IP4 {peer.Address}\nm=message {peer.Port} {protocol} *\na=setup:{setup}\n}}";

    // --- reading replies ---

    /// <summary>The single action of <paramref name="reply"/>, without error.</summary>
    public static ActionReply Single(TransactionReply reply)
    {
        var action = Assert.Single(reply.Actions.AsSpan().ToArray());
        Assert.Null(action.Error);
        return action;
    }

    /// <summary>The Local descriptor an Add, Modify or AuditValue reply returned, read as MSRP media.</summary>
    public static MsrpMedia LocalOf(CommandReply reply)
    {
        var media = Assert.Single(Returned(reply).OfType<MediaDescriptor>());
        Assert.True(MsrpMedia.TryRead(SessionDescription.FromDescriptor(media.Stream!.Local!), out var msrp, out _, out var error), error);
        return msrp;
    }

    /// <summary>The value of statistic <paramref name="name"/> (e.g. <c>nt/os</c>) a Subtract reply returned.</summary>
    public static ulong Statistic(CommandReply reply, string name)
    {
        var statistics = Assert.Single(Returned(reply).OfType<StatisticsDescriptor>());
        var parameter = Assert.Single(statistics.Parameters.AsSpan().ToArray(), p => string.Equals(p.Name.ToString(), name, StringComparison.OrdinalIgnoreCase));
        return ulong.Parse(parameter.Values!.Value[0], NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static Descriptor[] Returned(CommandReply reply) => reply switch
    {
        AmmsReply { Audit: { } audit } => audit.AsSpan().ToArray(),
        AuditReply { Audit: { } audit } => audit.AsSpan().ToArray(),
        _ => [],
    };

    /// <summary>The value of parameter <paramref name="name"/> of an observed event.</summary>
    public static string Parameter(ObservedEvent observed, string name) =>
        Assert.Single(observed.Parameters.AsSpan().ToArray(), p => string.Equals(p.Name.Item, name, StringComparison.OrdinalIgnoreCase)).Values[0];
}
