using Megaco.Protocol.Association;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;

namespace Megaco.EndToEnd.Tests.Support;

/// <summary>What the MG process holds, asked over H.248 itself.</summary>
internal static class MgAudit
{
    /// <summary>
    /// The number of contexts: <c>Context = * { AuditValue = * }</c> is answered with one action reply per context
    /// (H.248.1 §6.1.1), or with error 431 when there is none.
    /// </summary>
    public static async Task<int> ContextCountAsync(RegisteredMg mg, CancellationToken cancellationToken)
    {
        var result = await mg.SendRequestAsync(
            [new ActionRequest(ContextId.All, [new CommandRequest(new AuditRequest(AuditKind.Value, [TerminationId.All], new AuditDescriptor(AuditTokens.None)))])],
            cancellationToken);
        Assert.True(result.HasReply, "no reply to the audit of every context: " + result.Failure);
        var reply = result.Reply!;
        Assert.Null(reply.Error);
        if (reply.Actions is [{ Error.Code: var code }] && code == (ushort)H248ErrorCode.NoTerminationIdMatchedWildcard)
        {
            return 0;
        }
        Assert.All(reply.Actions, a => Assert.Null(a.Error));
        return reply.Actions.Count;
    }
}
