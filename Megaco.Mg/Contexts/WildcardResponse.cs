using Megaco.Protocol.Model;

namespace Megaco.Mg.Contexts;

/// <summary>
/// The wildcarded response (H.248.1 Annex A <c>CommandRequest.wildcardReturn</c>, Annex B <c>W-</c>, v2+): a
/// command on a wildcarded TerminationID gets one reply naming the wildcard, carrying the union of what the
/// replies per termination would have carried, each descriptor once.
/// </summary>
internal static class WildcardResponse
{
    public static bool Applies(CommandRequest request)
    {
        if (!request.WildcardReturn)
        {
            return false;
        }
        foreach (var id in request.Command.TerminationIds)
        {
            if (id.HasAll)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Replaces the replies from <paramref name="first"/> on (those of one command) by their single wildcarded reply.</summary>
    public static void Collapse(List<CommandReply> replies, int first, ValueList<TerminationId> wildcard)
    {
        if (replies.Count - first < 1)
        {
            return;
        }
        var union = new List<Descriptor>();
        var any = false;
        for (var i = first; i < replies.Count; i++)
        {
            var returned = replies[i] switch
            {
                AmmsReply amms => amms.Audit,
                AuditReply audit => audit.Audit,
                _ => null,
            };
            if (returned is { } descriptors)
            {
                any = true;
                foreach (var descriptor in descriptors)
                {
                    // Record equality: the same descriptor from two terminations is returned once.
                    if (!union.Contains(descriptor))
                    {
                        union.Add(descriptor);
                    }
                }
            }
        }
        ValueList<Descriptor>? merged = any ? new ValueList<Descriptor>(union) : null;
        CommandReply single = replies[first] switch
        {
            AmmsReply amms => new AmmsReply(amms.Kind, wildcard, merged),
            AuditReply audit => new AuditReply(audit.Kind, wildcard, merged),
            ServiceChangeReply => new ServiceChangeReply(wildcard),
            var other => other with { TerminationIds = wildcard },
        };
        replies.RemoveRange(first, replies.Count - first);
        replies.Add(single);
    }
}
