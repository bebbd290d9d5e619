using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;

namespace Megaco.Mg.Contexts;

/// <summary>A command that cannot be executed, with its H.248.8 code: becomes the Error descriptor of its reply.</summary>
internal sealed class CommandFailedException(H248ErrorCode code, string text) : Exception(text)
{
    public H248ErrorCode Code { get; } = code;

    public ErrorDescriptor ToDescriptor() => new((ushort)Code, Message);

    [StackTraceHidden]
    [DoesNotReturn]
    public static void Throw(H248ErrorCode code, string text) => throw new CommandFailedException(code, text);
}
