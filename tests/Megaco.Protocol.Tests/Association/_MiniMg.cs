using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;

namespace Megaco.Protocol.Tests.Association;

/// <summary>
/// Just enough of an MG's context engine for the association tests and the Erlang MGC's script (the real engine is
/// Megaco.Mg's): Add of <c>$</c> in context <c>$</c> makes context n with termination msrp/n and a Local SDP on port
/// 7000 + n; Modify keeps the mode and SDP; AuditValue returns the media descriptor; Subtract removes the context.
/// </summary>
internal sealed class MiniMg
{
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, Termination> _contexts = [];
    private uint _next;

    public int Adds { get; private set; }

    public int Modifies { get; private set; }

    public int Audits { get; private set; }

    public int Subtracts { get; private set; }

    public TransactionAnswer Answer(TransactionRequest request)
    {
        lock (_gate)
        {
            return TransactionAnswer.Replies([.. request.Actions.Select(Execute)]);
        }
    }

    private ActionReply Execute(ActionRequest action)
    {
        var context = action.ContextId;
        var replies = new List<CommandReply>();
        foreach (var command in action.Commands)
        {
            switch (command.Command)
            {
                case AmmRequest { Kind: AmmKind.Add } add when context.IsChoose || context.Value != 0:
                    if (context.IsChoose)
                    {
                        context = new ContextId(++_next);
                    }
                    var n = context.Value;
                    var media = Media(add.Descriptors);
                    var local = LocalRemoteDescriptor.Parse($"v=0\nc=IN IP4 127.0.0.1\nm=message {7000 + n} TCP/MSRP *\na=path:msrp://127.0.0.1:{7000 + n}/mg{n};tcp\n");
                    var termination = new Termination($"msrp/{n}", media?.LocalControl?.Mode ?? StreamMode.SendReceive, local, media?.Remote);
                    _contexts[n] = termination;
                    Adds++;
                    replies.Add(new AmmsReply(AmmsKind.Add, [new TerminationId(termination.Id)],
                        [new MediaDescriptor(Stream: new StreamParms(Local: local))]));
                    break;
                case AmmRequest { Kind: AmmKind.Modify } modify when _contexts.TryGetValue(context.Value, out var found):
                    var changes = Media(modify.Descriptors);
                    _contexts[context.Value] = found with
                    {
                        Mode = changes?.LocalControl?.Mode ?? found.Mode,
                        Remote = changes?.Remote ?? found.Remote,
                    };
                    Modifies++;
                    replies.Add(new AmmsReply(AmmsKind.Modify, [new TerminationId(found.Id)]));
                    break;
                case AuditRequest { Kind: AuditKind.Value } when _contexts.TryGetValue(context.Value, out var audited):
                    Audits++;
                    replies.Add(new AuditReply(AuditKind.Value, [new TerminationId(audited.Id)],
                        [new MediaDescriptor(Stream: new StreamParms(new LocalControlDescriptor(audited.Mode), audited.Local, audited.Remote))]));
                    break;
                case SubtractRequest when _contexts.Remove(context.Value, out var removed):
                    Subtracts++;
                    replies.Add(new AmmsReply(AmmsKind.Subtract, [new TerminationId(removed.Id)]));
                    break;
                case AmmRequest or AuditRequest or SubtractRequest:
                    return new ActionReply(context, [.. replies], new ErrorDescriptor((ushort)H248ErrorCode.UnknownContextId, $"no context {context}"));
                default:
                    return new ActionReply(context, [.. replies], new ErrorDescriptor((ushort)H248ErrorCode.NotImplemented, "not in the test MG"));
            }
        }
        return new ActionReply(context, [.. replies]);
    }

    private static StreamParms? Media(ValueList<Descriptor> descriptors) =>
        descriptors.AsSpan().ToArray().OfType<MediaDescriptor>().Select(m => m.Stream ?? (m.Streams.IsEmpty ? null : m.Streams[0].Parms)).FirstOrDefault();

    private sealed record Termination(string Id, StreamMode Mode, LocalRemoteDescriptor Local, LocalRemoteDescriptor? Remote);
}
