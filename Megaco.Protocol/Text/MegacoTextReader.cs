using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text.Reader;

namespace Megaco.Protocol.Text;

/// <summary>
/// Reads H.248.1 Annex B text messages of versions 1 to 3, in any mix of long and short tokens,
/// into the typed model. Never throws on bad input: faults come back as a <see cref="SyntaxError"/>
/// with the H.248.8 code to answer with and the line, column and offset of the fault.
/// </summary>
public sealed class MegacoTextReader(MegacoLimits? limits = null)
{
    public static readonly MegacoTextReader Default = new();

    public MegacoLimits Limits { get; } = limits ?? MegacoLimits.Default;

    private readonly TextParser.Caches _caches = new();

    public MegacoReadResult Read(ReadOnlySpan<byte> text)
    {
        if (text.Length > Limits.MaxMessageBytes)
        {
            var error = new SyntaxError(H248ErrorCode.SyntaxErrorInMessage,
                $"message of {text.Length} bytes exceeds the limit of {Limits.MaxMessageBytes}", 1, 1, 0, "megacoMessage");
            return new MegacoReadResult(null, error, ValueList<SyntaxError>.Empty);
        }
        var parser = new TextParser(text, Limits, _caches);
        List<TransactionFault>? faults = null;
        try
        {
            var message = parser.ParseMessage(ref faults);
            return new MegacoReadResult(message, null, ToErrors(text, faults));
        }
        catch (ParseFault fault)
        {
            var located = Locate(text, fault.Offset);
            var error = located with
            {
                Code = fault.Code ?? H248ErrorCode.SyntaxErrorInMessage,
                Reason = fault.Message,
                Expected = fault.Expected,
            };
            return new MegacoReadResult(null, error, ToErrors(text, faults));
        }
    }

    private static ValueList<SyntaxError> ToErrors(ReadOnlySpan<byte> text, List<TransactionFault>? faults)
    {
        if (faults is null)
        {
            return ValueList<SyntaxError>.Empty;
        }
        var errors = new ListBuilder<SyntaxError>();
        foreach (var fault in faults)
        {
            errors.Add(Locate(text, fault.Offset) with
            {
                Code = fault.Code,
                Reason = fault.Reason,
                Expected = fault.Expected,
                TransactionId = fault.TransactionId,
            });
        }
        return errors.ToValueList();
    }

    /// <summary>The hand-written counterpart of <see cref="VersionSniffer.Sniff"/>: the header alone, or null.</summary>
    internal MessageHeader? ReadHeader(ReadOnlySpan<byte> text)
    {
        var parser = new TextParser(text[..Math.Min(text.Length, VersionSniffer.MaxHeaderChars)], Limits, _caches);
        try
        {
            return parser.ParseHeader();
        }
        catch (ParseFault)
        {
            return null;
        }
    }

    public MegacoReadResult Read(string text) => Read(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Turns a byte offset into a 1-based line and column (columns count bytes).</summary>
    private static SyntaxError Locate(ReadOnlySpan<byte> text, int offset)
    {
        offset = Math.Clamp(offset, 0, text.Length);
        var before = text[..offset];
        var line = before.Count((byte)'\n') + 1;
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return new SyntaxError(H248ErrorCode.SyntaxErrorInMessage, string.Empty, line, offset - lineStart + 1, offset, string.Empty);
    }
}
