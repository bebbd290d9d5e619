using System.Globalization;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;

namespace Megaco.Mgc.Tests.Fakes;

/// <summary>
/// A small MG that plays the contract: Add with '$' creates a context (1, 2, ...) and a termination msrp/N,
/// fills every '$' of Local (address, port, fingerprint, path) and echoes the filled Local; Modify and Subtract
/// check the context and termination; Subtract returns nt/os, nt/or, nt/dur. Scripted errors come first.
/// </summary>
internal sealed class FakeMgEngine
{
    public const string Fingerprint = "sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:DB:2A:66:2B:BF:B8:C4:A6:2B:4C:C6:1E";

    private readonly Lock _gate = new();
    private readonly Dictionary<uint, List<string>> _contexts = [];
    private readonly Dictionary<int, ErrorDescriptor> _errors = [];
    private int _executed;
    private uint _nextContext = 1;
    private int _nextTermination = 1;
    private int _nextPort = 40000;

    public string Address { get; init; } = "127.0.0.1";

    public int ContextCount
    {
        get
        {
            lock (_gate)
            {
                return _contexts.Count;
            }
        }
    }

    /// <summary>Leaves the '$' of Local as they are (an MG that breaks the contract).</summary>
    public bool LeaveLocalUnfilled { get; set; }

    /// <summary>The next command executed fails with this error.</summary>
    public void FailNextCommand(H248ErrorCode code, string text) => FailCommandNumber(1, code, text);

    /// <summary>The <paramref name="n"/>-th command executed from now fails with this error; the ones before it succeed.</summary>
    public void FailCommandNumber(int n, H248ErrorCode code, string text)
    {
        lock (_gate)
        {
            _errors[_executed + n] = new ErrorDescriptor((ushort)code, text);
        }
    }

    public ActionReply Execute(ActionRequest action)
    {
        lock (_gate)
        {
            var context = action.ContextId;
            var replies = new List<CommandReply>();
            foreach (var request in action.Commands)
            {
                if (_errors.Remove(++_executed, out var scripted))
                {
                    return Reply(context, replies, scripted);
                }
                switch (request.Command)
                {
                    case AmmRequest { Kind: AmmKind.Add } add:
                        if (context.IsChoose)
                        {
                            context = new ContextId(_nextContext++);
                            _contexts[context.Value] = [];
                        }
                        else if (!_contexts.ContainsKey(context.Value))
                        {
                            return Reply(context, replies, new ErrorDescriptor((ushort)H248ErrorCode.UnknownContextId, "no context " + context));
                        }
                        var id = "msrp/" + _nextTermination++;
                        _contexts[context.Value].Add(id);
                        replies.Add(new AmmsReply(AmmsKind.Add, [new TerminationId(id)], [Filled(add)]));
                        break;
                    case AmmRequest { Kind: AmmKind.Modify } modify:
                        if (Missing(context, modify.TerminationIds) is { } modifyError)
                        {
                            return Reply(context, replies, modifyError);
                        }
                        replies.Add(new AmmsReply(AmmsKind.Modify, modify.TerminationIds));
                        break;
                    case SubtractRequest subtract:
                        if (Missing(context, subtract.TerminationIds) is { } subtractError)
                        {
                            return Reply(context, replies, subtractError);
                        }
                        var members = _contexts[context.Value];
                        var targets = subtract.TerminationIds[0].HasAll ? members.ToList() : [subtract.TerminationIds[0].Text];
                        foreach (var target in targets)
                        {
                            members.Remove(target);
                            var n = int.Parse(target["msrp/".Length..], CultureInfo.InvariantCulture);
                            replies.Add(new AmmsReply(AmmsKind.Subtract, [new TerminationId(target)],
                            [
                                new StatisticsDescriptor(
                                [
                                    new StatisticsParameter(new PkgdName("nt", "os"), [(1000 * n).ToString(CultureInfo.InvariantCulture)]),
                                    new StatisticsParameter(new PkgdName("nt", "or"), [(2000 * n).ToString(CultureInfo.InvariantCulture)]),
                                    new StatisticsParameter(new PkgdName("nt", "dur"), ["1500"]),
                                ]),
                            ]));
                        }
                        if (members.Count == 0)
                        {
                            _contexts.Remove(context.Value);
                        }
                        break;
                    default:
                        return Reply(context, replies, new ErrorDescriptor((ushort)H248ErrorCode.UnsupportedOrUnknownCommand, "not in the fake"));
                }
            }
            return Reply(context, replies, null);
        }
    }

    private ErrorDescriptor? Missing(ContextId context, ValueList<TerminationId> terminations)
    {
        if (!_contexts.TryGetValue(context.Value, out var members))
        {
            return new ErrorDescriptor((ushort)H248ErrorCode.UnknownContextId, "no context " + context);
        }
        return terminations.Count == 1 && (terminations[0].HasAll || members.Contains(terminations[0].Text))
            ? null
            : new ErrorDescriptor((ushort)H248ErrorCode.TerminationIdNotInSpecifiedContext, "not in context " + context);
    }

    private MediaDescriptor Filled(AmmRequest add)
    {
        var media = add.Descriptors.AsSpan().ToArray().OfType<MediaDescriptor>().Single();
        if (LeaveLocalUnfilled)
        {
            return media;
        }
        var local = SessionDescription.FromDescriptor(media.Stream!.Local!);
        var port = _nextPort++;
        var tls = local.Media[0].Protocol == MsrpMedia.TlsProtocol;
        var lines = new List<SdpLine>();
        foreach (var line in local.ToLines())
        {
            lines.Add(line.Text switch
            {
                "c=IN IP4 $" => new SdpLine("c=IN IP4 " + Address),
                "c=IN IP6 $" => new SdpLine("c=IN IP6 ::1"),
                // Contract: '$' = the MG answers the Remote's a=setup, passive while there is none.
                "a=setup:$" => new SdpLine("a=setup:" + (media.Stream.Remote is { } remote
                    ? SetupRoles.ToAttributeValue(SetupRoles.AnswerTo(SessionDescription.FromDescriptor(remote).Media[0].Attribute("setup") is { } offered && SetupRoles.TryParse(offered, out var role) ? role : SetupRole.Active))
                    : "passive")),
                "a=path:$" => new SdpLine("a=path:" + (tls ? "msrps" : "msrp") + "://" + Address + ":" + port + "/mg" + port + ";tcp"),
                var text when text.StartsWith("m=message $ ", StringComparison.Ordinal) => new SdpLine("m=message " + port + text["m=message $".Length..]),
                var text when text.StartsWith("a=fingerprint:", StringComparison.Ordinal) && text.EndsWith(" $", StringComparison.Ordinal) => new SdpLine("a=fingerprint:" + Fingerprint),
                _ => line,
            });
        }
        return new MediaDescriptor(Stream: new StreamParms(Local: new LocalRemoteDescriptor(new ValueList<SdpLine>(lines))));
    }

    private static ActionReply Reply(ContextId context, List<CommandReply> replies, ErrorDescriptor? error) =>
        new(context, new ValueList<CommandReply>(replies), error);
}
