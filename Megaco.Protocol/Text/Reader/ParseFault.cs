using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Megaco.Protocol.Errors;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// Raised inside the parser at the first byte that breaks the grammar, and caught at the
/// transaction or message boundary, where it becomes a <see cref="SyntaxError"/>. It never leaves
/// <see cref="MegacoTextReader.Read"/>.
/// </summary>
internal sealed class ParseFault(int offset, string expected, string reason, H248ErrorCode? code = null)
    : Exception(reason)
{
    public int Offset { get; } = offset;

    /// <summary>The Annex B rule (or literal) the parser was looking for.</summary>
    public string Expected { get; } = expected;

    /// <summary>A code that overrides the context's default (e.g. 406 for the version).</summary>
    public H248ErrorCode? Code { get; } = code;

    [StackTraceHidden, DoesNotReturn]
    public static void Throw(int offset, string expected, string reason, H248ErrorCode? code = null) =>
        throw new ParseFault(offset, expected, reason, code);
}
