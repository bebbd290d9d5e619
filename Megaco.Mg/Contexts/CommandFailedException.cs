using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;

namespace Megaco.Mg.Contexts;

/// <summary>A command that cannot be executed, with its H.248.8 code: becomes the Error descriptor of its reply.</summary>
internal sealed class CommandFailedException(H248ErrorCode code, string text) : Exception(text)
{
    public H248ErrorCode Code { get; } = code;

    /// <summary>
    /// H.248.1 Annex B: the error text is a quotedString, printable ASCII without '"'; anything else (a section
    /// sign, a value echoed from a request) becomes '?' so the reply can always be written and never gets lost.
    /// </summary>
    public ErrorDescriptor ToDescriptor() =>
        new((ushort)Code, string.Create(Message.Length, Message, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = text[i] is >= ' ' and <= '~' and not '"' ? text[i] : '?';
            }
        }));

    [StackTraceHidden]
    [DoesNotReturn]
    public static void Throw(H248ErrorCode code, string text) => throw new CommandFailedException(code, text);
}
