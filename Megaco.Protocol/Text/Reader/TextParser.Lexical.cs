using System.Runtime.CompilerServices;
using System.Text;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// A recursive-descent parser for the H.248.1 Annex B text encoding, over the bytes of one message.
/// This part holds the lexical rules of Annex B.2: white space and comments, SafeChar words,
/// quoted strings, numbers, and the punctuation tokens with their optional LWSP.
/// </summary>
internal ref partial struct TextParser
{
    private readonly ReadOnlySpan<byte> _text;
    private readonly MegacoLimits _limits;
    private readonly Caches _caches;
    private int _pos;
    private int _depth;
    private int _version;
    private H248Features _features;

    public TextParser(ReadOnlySpan<byte> text, MegacoLimits limits, Caches caches)
    {
        _text = text;
        _limits = limits;
        _caches = caches;
        _version = 3;
        _features = H248VersionFeatures.V3;
    }

    /// <summary>Each version has its own grammar: a construct added later is refused in an older message.</summary>
    private readonly void Require(H248Features feature, int start, string rule, string construct)
    {
        if ((_features & feature) != feature)
        {
            FailNotInGrammar(start, rule, construct);
        }
    }

    /// <summary>A reader's caches of objects made from repeated words (shared by its threads).</summary>
    internal sealed class Caches
    {
        public readonly TokenCache<MId, MIdMatcher> MIds = new(64);

        /// <summary>One-element termination id lists (most commands name one termination); shared, as lists are immutable.</summary>
        public readonly TokenCache<TerminationId[], TerminationIdMatcher> TerminationIds = new(256);

        public readonly TokenCache<PkgdName, NameMatcher> Names = new(512);

        internal readonly struct TerminationIdMatcher : ITokenMatcher<TerminationId[]>
        {
            public static bool Matches(TerminationId[] ids, ReadOnlySpan<byte> word) => System.Text.Ascii.Equals(word, ids[0].Text);
        }

        internal readonly struct NameMatcher : ITokenMatcher<PkgdName>
        {
            public static bool Matches(PkgdName name, ReadOnlySpan<byte> word)
            {
                if (name.Package.Length == 0)
                {
                    return System.Text.Ascii.Equals(word, name.Item);
                }
                var slash = name.Package.Length;
                return word.Length == slash + 1 + name.Item.Length && word[slash] == (byte)'/'
                    && System.Text.Ascii.Equals(word[..slash], name.Package) && System.Text.Ascii.Equals(word[(slash + 1)..], name.Item);
            }
        }

        /// <summary>Whether a word is the text of an mId as the reader made it.</summary>
        internal readonly struct MIdMatcher : ITokenMatcher<MId>
        {
            public static bool Matches(MId mid, ReadOnlySpan<byte> word)
            {
                var (open, close) = mid.Kind switch
                {
                    MIdKind.IPv4 or MIdKind.IPv6 => ((byte)'[', (byte)']'),
                    MIdKind.DomainName => ((byte)'<', (byte)'>'),
                    _ => ((byte)0, (byte)0),
                };
                if (open == 0)
                {
                    return mid.Kind == MIdKind.DeviceName && System.Text.Ascii.Equals(word, mid.Address);
                }
                var end = mid.Address.Length + 1;
                if (word.Length <= end || word[0] != open || word[end] != close || !System.Text.Ascii.Equals(word[1..end], mid.Address))
                {
                    return false;
                }
                var rest = word[(end + 1)..];
                if (mid.Port is not { } port)
                {
                    return rest.IsEmpty;
                }
                return rest.Length > 1 && rest[0] == (byte)':'
                    && System.Buffers.Text.Utf8Parser.TryParse(rest[1..], out ushort value, out var consumed)
                    && consumed == rest.Length - 1 && value == port;
            }
        }
    }

    public readonly int Position => _pos;

    // H.248.1 Annex B.2: SafeChar = DIGIT / ALPHA / "+" / "-" / "&" / "!" / "_" / "/" / "'" / "?" / "@"
    //                    / "^" / "`" / "~" / "*" / "$" / "\" / "(" / ")" / "%" / "|" / "."
    // Words are short, so a table looked up byte by byte beats a vectorised search, whose set-up dominates.
    private static readonly bool[] SafeChars = SafeCharMap("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+-&!_/'?@^`~*$\\().%|"u8);

    private static bool[] SafeCharMap(ReadOnlySpan<byte> safe)
    {
        var map = new bool[256];
        foreach (var b in safe)
        {
            map[b] = true;
        }
        return map;
    }

    public readonly bool AtEnd => _pos >= _text.Length;

    /// <summary>The next byte after white space and comments, or 0 at the end.</summary>
    public byte Peek()
    {
        SkipLwsp();
        return _pos < _text.Length ? _text[_pos] : (byte)0;
    }

    /// <summary>Skips LWSP: SP, HTAB, CR, LF and comments (";" to end of line), per Annex B.2 LWSP/COMMENT.</summary>
    public void SkipLwsp()
    {
        var text = _text;
        var pos = _pos;
        while (pos < text.Length)
        {
            var b = text[pos];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                pos++;
            }
            else if (b == (byte)';')
            {
                var eol = text[pos..].IndexOfAny((byte)'\r', (byte)'\n');
                pos = eol < 0 ? text.Length : pos + eol;
            }
            else
            {
                break;
            }
        }
        _pos = pos;
    }

    /// <summary>Consumes <paramref name="c"/> (after LWSP) if it is next.</summary>
    public bool TryChar(byte c)
    {
        if (Peek() == c)
        {
            _pos++;
            return true;
        }
        return false;
    }

    public void Expect(byte c, string rule)
    {
        if (!TryChar(c))
        {
            FailExpected(rule, c);
        }
    }

    public void ExpectEqual() => Expect((byte)'=', "EQUAL");

    /// <summary>LBRKT, counting nesting against <see cref="MegacoLimits.MaxNestingDepth"/>.</summary>
    public void OpenBrace()
    {
        Expect((byte)'{', "LBRKT");
        Enter();
    }

    public bool TryOpenBrace()
    {
        if (!TryChar((byte)'{'))
        {
            return false;
        }
        Enter();
        return true;
    }

    public void CloseBrace()
    {
        Expect((byte)'}', "RBRKT");
        _depth--;
    }

    private void Enter()
    {
        if (++_depth > _limits.MaxNestingDepth)
        {
            FailTooDeep();
        }
    }

    /// <summary>Counts one more list item and enforces <see cref="MegacoLimits.MaxListLength"/>.</summary>
    public readonly void CheckCount(int count, string rule)
    {
        if (count >= _limits.MaxListLength)
        {
            FailTooMany(rule);
        }
    }

    /// <summary>Reads a run of SafeChars (after LWSP); empty when the next byte is not a SafeChar.</summary>
    public ReadOnlySpan<byte> ReadWordOrEmpty()
    {
        SkipLwsp();
        var text = _text;
        var start = _pos;
        var safe = SafeChars;
        var end = start;
        while ((uint)end < (uint)text.Length && safe[text[end]])
        {
            end++;
        }
        var length = end - start;
        if (length > _limits.MaxTokenLength)
        {
            FailTooLong("SafeChar", "token");
        }
        _pos = end;
        return text.Slice(start, length);
    }

    public ReadOnlySpan<byte> ReadWord(string rule)
    {
        var word = ReadWordOrEmpty();
        if (word.IsEmpty)
        {
            FailNoWord(rule);
        }
        return word;
    }

    /// <summary>Reads the next word as a keyword without consuming anything when it is not one.</summary>
    public Keyword PeekKeyword()
    {
        var save = _pos;
        var keyword = KeywordTable.Lookup(ReadWordOrEmpty());
        _pos = save;
        return keyword;
    }

    public Keyword ReadKeyword(string rule)
    {
        var start = SkipAndMark();
        var keyword = KeywordTable.Lookup(ReadWord(rule));
        if (keyword == Keyword.None)
        {
            FailAt(start, rule, "unknown or misplaced token");
        }
        return keyword;
    }

    public int SkipAndMark()
    {
        SkipLwsp();
        return _pos;
    }

    /// <summary>
    /// VALUE = quotedString / 1*(SafeChar) (Annex B.2), returned without the quotes. "The protocol is not
    /// case sensitive" (Annex B.2), so a bare value is folded to lower case, its canonical form (as
    /// Erlang/OTP megaco folds it too); a quoted string keeps its case.
    /// </summary>
    public string ReadValue(string rule)
    {
        if (Peek() == (byte)'"')
        {
            return ReadQuotedString(rule);
        }
        var word = ReadWord(rule);
        return word.ContainsAnyInRange((byte)'A', (byte)'Z')
            ? string.Create(word.Length, word.ToArray(), static (chars, bytes) =>
            {
                for (var i = 0; i < bytes.Length; i++)
                {
                    chars[i] = (char)(bytes[i] is >= (byte)'A' and <= (byte)'Z' ? bytes[i] + 32 : bytes[i]);
                }
            })
            : Ascii(word);
    }

    /// <summary>quotedString = DQUOTE *(SafeChar / RestChar / WSP) DQUOTE; no escapes exist.</summary>
    public string ReadQuotedString(string rule)
    {
        Expect((byte)'"', rule);
        var rest = _text[_pos..];
        var end = rest.IndexOf((byte)'"');
        if (end < 0)
        {
            FailAt(_pos - 1, "DQUOTE", "unterminated quoted string");
        }
        if (end > _limits.MaxTokenLength)
        {
            FailTooLong("quotedString", "quoted string");
        }
        var content = rest[..end];
        // quotedString = DQUOTE *(SafeChar / RestChar / WSP) DQUOTE: printable ASCII and HTAB, nothing else.
        var bad = content.IndexOfAnyExceptInRange((byte)' ', (byte)'~');
        while (bad >= 0 && content[bad] == (byte)'\t')
        {
            var next = content[(bad + 1)..].IndexOfAnyExceptInRange((byte)' ', (byte)'~');
            bad = next < 0 ? -1 : bad + 1 + next;
        }
        if (bad >= 0)
        {
            FailAt(_pos + bad, "quotedString", "a quoted string holds printable ASCII only");
        }
        _pos += end + 1;
        return Ascii(content);
    }

    public uint ReadUInt32(string rule) => (uint)ReadUnsigned(rule, uint.MaxValue, "UINT32");

    public ushort ReadUInt16(string rule) => (ushort)ReadUnsigned(rule, ushort.MaxValue, "UINT16");

    private ulong ReadUnsigned(string rule, ulong max, string type)
    {
        var start = SkipAndMark();
        // The digits are read as they are scanned; anything else (no digit, a letter after them, too
        // large a value or too long a run) is read again as a word, which reports the fault exactly.
        var text = _text;
        var end = start;
        ulong value = 0;
        while ((uint)end < (uint)text.Length && (uint)(text[end] - '0') <= 9 && value <= max)
        {
            value = value * 10 + (uint)(text[end] - '0');
            end++;
        }
        if (end > start && value <= max && end - start <= _limits.MaxTokenLength
            && ((uint)end >= (uint)text.Length || !SafeChars[text[end]]))
        {
            _pos = end;
            return value;
        }
        var word = ReadWord(rule);
        return ParseUnsigned(word, start, rule, max, type);
    }

    public readonly ulong ParseUnsigned(ReadOnlySpan<byte> digits, int start, string rule, ulong max, string type)
    {
        if (digits.IsEmpty)
        {
            FailNumber(start, rule, type, outOfRange: false);
        }
        ulong value = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = (uint)(digits[i] - '0');
            if (d > 9)
            {
                FailNumber(start + i, rule, type, outOfRange: false);
            }
            value = value * 10 + d;
            if (value > max)
            {
                FailNumber(start, rule, type, outOfRange: true);
            }
        }
        return value;
    }

    /// <summary>SafeChar words are ASCII, so widening each byte is the whole decoding.</summary>
    public static string Ascii(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>SDP may carry UTF-8 (RFC 4566 §5: the default character set is ISO 10646 in UTF-8).</summary>
    public static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    // The messages of the faults below are built in these cold helpers, so that the hot paths that may
    // raise them stay small enough to inline and keep their registers.

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void FailNotInGrammar(int start, string rule, string construct) =>
        FailAt(start, rule, $"{construct} is not in the grammar of H.248 version {_version}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void FailExpected(string rule, byte c) => Fail(rule, $"expected '{(char)c}'");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void FailTooDeep() => Fail("RBRKT", $"nesting deeper than {_limits.MaxNestingDepth}");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void FailTooMany(string rule) => Fail(rule, $"more than {_limits.MaxListLength} items in a list");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void FailTooLong(string rule, string what) => Fail(rule, $"{what} longer than {_limits.MaxTokenLength} bytes");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void FailNoWord(string rule) =>
        Fail(rule, AtEnd ? "unexpected end of message" : $"unexpected '{Describe(_text[_pos])}'");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void FailNumber(int at, string rule, string type, bool outOfRange) =>
        FailAt(at, rule, outOfRange ? $"{type} out of range" : $"expected a {type}");

    public readonly void Fail(string expected, string reason) => FailAt(_pos, expected, reason);

    public readonly void FailAt(int offset, string expected, string reason, H248ErrorCode? code = null) =>
        ParseFault.Throw(Math.Min(offset, _text.Length), expected, reason, code);

    private static string Describe(byte b) => b switch
    {
        < 32 or >= 127 => $"\\x{b:X2}",
        _ => ((char)b).ToString(),
    };

    /// <summary>
    /// From an opening brace just consumed, skips to just after its matching closing brace, for
    /// recovery after a broken transaction. Quoted strings and escaped braces are skipped whole.
    /// </summary>
    public bool SkipToMatchingBrace(int openBraceOffset)
    {
        var depth = 0;
        var text = _text;
        for (var i = openBraceOffset; i < text.Length; i++)
        {
            switch (text[i])
            {
                case (byte)'{':
                    depth++;
                    break;
                case (byte)'}':
                    if (--depth == 0)
                    {
                        _pos = i + 1;
                        return true;
                    }
                    break;
                case (byte)'\\':
                    i++;
                    break;
                case (byte)'"':
                    var close = text[(i + 1)..].IndexOf((byte)'"');
                    if (close < 0)
                    {
                        return false;
                    }
                    i += close + 1;
                    break;
            }
        }
        return false;
    }

    public void ResetDepth(int depth) => _depth = depth;

    public void Seek(int offset) => _pos = offset;
}
