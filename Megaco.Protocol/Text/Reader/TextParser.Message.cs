using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// H.248.1 Annex B.2 message-level rules: megacoMessage, authenticationHeader, message, mId,
/// messageBody and the transaction list, with recovery from a broken transaction.
/// </summary>
internal ref partial struct TextParser
{
    /// <summary>
    /// megacoMessage = LWSP [authenticationHeader SEP] message. Faults in the header or body
    /// structure throw; a fault inside one transaction is recorded in <paramref name="errors"/>
    /// and parsing goes on with the next transaction.
    /// </summary>
    public MegacoMessage ParseMessage(ref List<TransactionFault>? errors)
    {
        AuthenticationHeader? auth = null;
        if ((Peek() | 0x20) == 'a' && PeekKeyword() == Keyword.Authentication)
        {
            auth = ParseAuthenticationHeader();
        }

        var version = ParseVersion();
        _version = version;
        _features = H248VersionFeatures.Of(version);
        var mid = ParseMId();
        SkipLwsp();
        if (AtEnd)
        {
            Fail("messageBody", "message has no body");
        }

        // The first letter tells most words apart without a lookup ("Error" / "ER" is the only E here).
        if ((Peek() | 0x20) == 'e' && PeekKeyword() == Keyword.Error)
        {
            var error = ParseErrorDescriptor();
            ExpectEnd();
            return MegacoMessage.WithError(version, mid, error) with { Authentication = auth };
        }

        var transactions = new ListBuilder<Transaction>();
        while (!AtEnd)
        {
            if (transactions.Count + (errors?.Count ?? 0) >= _limits.MaxTransactionsPerMessage)
            {
                FailAt(_pos, "transactionList", $"more than {_limits.MaxTransactionsPerMessage} transactions in one message",
                    H248ErrorCode.NumberOfTransactionsInMessageExceedsMaximum);
            }
            var keyword = ReadKeyword("transactionList");
            var bodyStart = -1;
            uint? id = null;
            try
            {
                transactions.Add(ParseTransaction(keyword, ref bodyStart, ref id));
            }
            catch (ParseFault fault) when (bodyStart >= 0)
            {
                // H.248.1 §8.2.2: each transaction is handled on its own; report this one (403 for a
                // request, with its id) and resume after its closing brace.
                var code = fault.Code ?? (keyword == Keyword.Transaction
                    ? H248ErrorCode.SyntaxErrorInTransactionRequest
                    : H248ErrorCode.SyntaxErrorInMessage);
                (errors ??= []).Add(new TransactionFault(fault.Offset, fault.Expected, fault.Message, code, id));
                ResetDepth(0);
                if (!SkipToMatchingBrace(bodyStart))
                {
                    break;
                }
            }
            SkipLwsp();
        }
        return new MegacoMessage(version, mid, transactions.ToValueList(), null, auth);
    }

    /// <summary>Only the header: [authenticationHeader SEP] MegacopToken SLASH Version SEP mId.</summary>
    public MessageHeader ParseHeader()
    {
        SkipLwsp();
        if (PeekKeyword() == Keyword.Authentication)
        {
            ParseAuthenticationHeader();
        }
        var version = ParseVersion();
        return new MessageHeader(version, ParseMId());
    }

    private void ExpectEnd()
    {
        SkipLwsp();
        if (!AtEnd)
        {
            Fail("end of message", "unexpected text after the message body");
        }
    }

    /// <summary>authenticationHeader = AuthToken EQUAL SecurityParmIndex COLON SequenceNum COLON AuthData.</summary>
    private AuthenticationHeader ParseAuthenticationHeader()
    {
        ReadKeyword("AuthToken");
        ExpectEqual();
        var spi = ParseHex32("SecurityParmIndex");
        Expect((byte)':', "COLON");
        var seq = ParseHex32("SequenceNum");
        Expect((byte)':', "COLON");
        var start = SkipAndMark();
        var data = ReadWord("AuthData");
        // AuthData = "0x" 24*64(HEXDIG)
        if (data.Length < 26 || data.Length > 66 || data[0] != '0' || (data[1] | 0x20) != 'x' || !IsHex(data[2..]))
        {
            FailAt(start, "AuthData", "AuthData must be 0x followed by 24 to 64 hex digits");
        }
        return new AuthenticationHeader(spi, seq, Ascii(data[2..]));
    }

    private uint ParseHex32(string rule)
    {
        var start = SkipAndMark();
        var word = ReadWord(rule);
        // SecurityParmIndex / SequenceNum = "0x" 8(HEXDIG)
        if (word.Length != 10 || word[0] != '0' || (word[1] | 0x20) != 'x' || !IsHex(word[2..]))
        {
            FailAt(start, rule, "expected 0x followed by 8 hex digits");
        }
        return uint.Parse(Ascii(word[2..]), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool IsHex(ReadOnlySpan<byte> digits)
    {
        foreach (var b in digits)
        {
            if (!char.IsAsciiHexDigit((char)b))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>message = MegacopToken SLASH Version SEP mId SEP messageBody; Version = 1*2(DIGIT).</summary>
    private int ParseVersion()
    {
        var start = SkipAndMark();
        var word = ReadWord("MegacopToken");
        var slash = word.IndexOf((byte)'/');
        if (slash < 0 || KeywordTable.Lookup(word[..slash]) != Keyword.Megaco)
        {
            FailAt(start, "MegacopToken", "message must start with MEGACO/ or !/");
        }
        var digits = word[(slash + 1)..];
        if (digits.IsEmpty || digits.Length > 2)
        {
            FailAt(start + slash + 1, "Version", "expected a version number");
        }
        var version = (int)ParseUnsigned(digits, start + slash + 1, "Version", 99, "Version");
        if (version is < 1 or > 3)
        {
            // H.248.1 §11.3: a version we do not speak is answered with 406.
            FailAt(start + slash + 1, "Version", $"version {version} not supported", H248ErrorCode.VersionNotSupported);
        }
        // SEP is required, but deployed MGs omit it before a bracketed mId (Erlang/OTP megaco
        // ticket OTP-7576); "[" and "<" cannot continue the version, so that is unambiguous.
        if (_pos >= _text.Length || _text[_pos] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'[' or (byte)'<'))
        {
            Fail("SEP", "expected white space after the version");
        }
        return version;
    }

    /// <summary>
    /// mId = (( domainAddress / domainName ) [":" portNumber]) / mtpAddress / deviceName.
    /// domainAddress = "[" (IPv4address / IPv6address) "]"; domainName = "&lt;" name "&gt;".
    /// </summary>
    public MId ParseMId()
    {
        var start = SkipAndMark();
        // A peer writes the same mId in every message: reuse the object read before (immutable).
        var blank = _text[start..].IndexOfAny(" \t\r\n"u8);
        var end = blank < 0 ? _text.Length : start + blank;
        var candidate = _text[start..end];
        if (_caches.MIds.TryGet(candidate) is { } known)
        {
            _pos = end;
            return known;
        }
        var mid = ParseMIdUncached();
        if (_pos == end && mid.Kind != MIdKind.MtpAddress)
        {
            _caches.MIds.Add(candidate, mid);
        }
        return mid;
    }

    private MId ParseMIdUncached()
    {
        var start = SkipAndMark();
        var b = Peek();
        if (b == (byte)'[')
        {
            _pos++;
            var end = _text[_pos..].IndexOf((byte)']');
            if (end <= 0 || end > 64)
            {
                FailAt(start, "domainAddress", "unterminated or empty address in mId");
            }
            var address = _text.Slice(_pos, end);
            var isV6 = address.Contains((byte)':');
            if (!(isV6 ? IsIPv6(address) : IsIPv4(address)))
            {
                FailAt(_pos, "domainAddress", "invalid IPv4 or IPv6 address");
            }
            _pos += end + 1;
            return new MId(isV6 ? MIdKind.IPv6 : MIdKind.IPv4, Ascii(address), ParseOptionalPort());
        }
        if (b == (byte)'<')
        {
            // domainName = "<" (ALPHA / DIGIT) *63(ALPHA / DIGIT / "-" / ".") ">"; deployed MGs also use "_"
            // (Erlang/OTP megaco ticket OTP-7249), which is unambiguous here, so it is accepted.
            _pos++;
            var nameStart = _pos;
            while (_pos < _text.Length && (char.IsAsciiLetterOrDigit((char)_text[_pos]) || _text[_pos] is (byte)'-' or (byte)'.' or (byte)'_'))
            {
                _pos++;
            }
            if (_pos == nameStart || _pos - nameStart > 64)
            {
                FailAt(nameStart, "domainName", "domain name must have 1 to 64 characters");
            }
            if (_pos >= _text.Length || _text[_pos] != (byte)'>')
            {
                Fail("domainName", "expected '>' closing the domain name");
            }
            var name = _text[nameStart.._pos];
            _pos++;
            return new MId(MIdKind.DomainName, Ascii(name), ParseOptionalPort());
        }
        var word = ReadWord("mId");
        if (KeywordTable.Lookup(word) == Keyword.Mtp && Peek() == (byte)'{')
        {
            _pos++;
            var hexStart = SkipAndMark();
            var hex = ReadWord("mtpAddress");
            // mtpAddress = MTPToken LBRKT 4*8(HEXDIG) RBRKT
            if (hex.Length is < 4 or > 8 || !IsHex(hex))
            {
                FailAt(hexStart, "mtpAddress", "MTP address must be 4 to 8 hex digits");
            }
            Expect((byte)'}', "RBRKT");
            return MId.Mtp(Ascii(hex));
        }
        return MId.Device(Ascii(word));
    }

    /// <summary>IPv4address = V4hex DOT V4hex DOT V4hex DOT V4hex; V4hex = 1*3(DIGIT) ; "0".."255".</summary>
    private static bool IsIPv4(ReadOnlySpan<byte> address)
    {
        var parts = 0;
        var value = 0;
        var digits = 0;
        foreach (var b in address)
        {
            if (b == (byte)'.')
            {
                if (digits == 0 || ++parts > 3)
                {
                    return false;
                }
                digits = 0;
                value = 0;
            }
            else if (char.IsAsciiDigit((char)b) && digits < 3)
            {
                value = value * 10 + (b - '0');
                digits++;
                if (value > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }
        return parts == 3 && digits > 0;
    }

    /// <summary>
    /// IPv6address of RFC 2373 as Annex B.2 quotes it, checked by the platform parser, which refuses a second
    /// "::", too many groups and malformed embedded IPv4 (IPv6 mIds are rare, so its allocation is no concern).
    /// </summary>
    private static bool IsIPv6(ReadOnlySpan<byte> address)
    {
        Span<char> chars = stackalloc char[address.Length];
        for (var i = 0; i < address.Length; i++)
        {
            chars[i] = (char)address[i];
        }
        return System.Net.IPAddress.TryParse(chars, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    }

    private ushort? ParseOptionalPort()
    {
        if (_pos < _text.Length && _text[_pos] == (byte)':')
        {
            _pos++;
            var start = _pos;
            var digits = _text[_pos..];
            var n = 0;
            while (n < digits.Length && char.IsAsciiDigit((char)digits[n]))
            {
                n++;
            }
            _pos += n;
            return (ushort)ParseUnsigned(digits[..n], start, "portNumber", ushort.MaxValue, "portNumber");
        }
        return null;
    }

    private Transaction ParseTransaction(Keyword keyword, ref int bodyStart, ref uint? id)
    {
        switch (keyword)
        {
            case Keyword.Transaction:
            {
                // transactionRequest = TransToken EQUAL TransactionID LBRKT actionRequest *(COMMA actionRequest) RBRKT
                ExpectEqual();
                id = ReadUInt32("TransactionID");
                bodyStart = SkipAndMark();
                OpenBrace();
                var actions = new ListBuilder<ActionRequest>();
                do
                {
                    CheckCount(actions.Count, "actionRequest");
                    actions.Add(ParseActionRequest());
                }
                while (TryChar((byte)','));
                CloseBrace();
                return new TransactionRequest(id.Value, actions.ToValueList());
            }
            case Keyword.Reply:
                return ParseTransactionReply(ref bodyStart, ref id);
            case Keyword.Pending:
            {
                // transactionPending = PendingToken EQUAL TransactionID LBRKT RBRKT
                ExpectEqual();
                id = ReadUInt32("TransactionID");
                bodyStart = SkipAndMark();
                OpenBrace();
                CloseBrace();
                return new TransactionPending(id.Value);
            }
            case Keyword.TransactionResponseAck:
            {
                // transactionResponseAck = ResponseAckToken LBRKT transactionAck *(COMMA transactionAck) RBRKT
                bodyStart = SkipAndMark();
                OpenBrace();
                var acks = new ListBuilder<TransactionAckRange>();
                do
                {
                    CheckCount(acks.Count, "transactionAck");
                    acks.Add(ParseTransactionAck());
                }
                while (TryChar((byte)','));
                CloseBrace();
                return new TransactionResponseAck(acks.ToValueList());
            }
            case Keyword.Segment:
            {
                // v3 segmentReply = MessageSegmentToken EQUAL TransactionID SLASH SegmentNumber [SLASH SegmentationCompleteToken]
                Require(H248Features.Segmentation, _pos, "transactionList", "a Segment reply");
                ExpectEqual();
                bodyStart = -1;
                var (tid, segment, complete) = ParseTransactionIdAndSegment();
                if (segment is null)
                {
                    Fail("SegmentNumber", "Segment needs a segment number");
                }
                return new SegmentReply(tid, segment!.Value, complete);
            }
            default:
                Fail("transactionList", $"'{KeywordTable.Long(keyword)}' cannot start a transaction");
                return null!;
        }
    }

    /// <summary>transactionAck = transactionID / (transactionID "-" transactionID).</summary>
    private TransactionAckRange ParseTransactionAck()
    {
        var start = SkipAndMark();
        var word = ReadWord("transactionAck");
        var dash = word.IndexOf((byte)'-');
        if (dash < 0)
        {
            return TransactionAckRange.Single((uint)ParseUnsigned(word, start, "TransactionID", uint.MaxValue, "UINT32"));
        }
        var first = (uint)ParseUnsigned(word[..dash], start, "TransactionID", uint.MaxValue, "UINT32");
        var last = (uint)ParseUnsigned(word[(dash + 1)..], start + dash + 1, "TransactionID", uint.MaxValue, "UINT32");
        if (last < first)
        {
            FailAt(start, "transactionAck", "acknowledged range ends before it starts");
        }
        return new TransactionAckRange(first, last);
    }

    /// <summary>TransactionID [SLASH SegmentNumber [SLASH SegmentationCompleteToken]] as one SafeChar word.</summary>
    private (uint Id, ushort? Segment, bool Complete) ParseTransactionIdAndSegment()
    {
        var start = SkipAndMark();
        var word = ReadWord("TransactionID");
        var slash = word.IndexOf((byte)'/');
        if (slash < 0)
        {
            return ((uint)ParseUnsigned(word, start, "TransactionID", uint.MaxValue, "UINT32"), null, false);
        }
        var id = (uint)ParseUnsigned(word[..slash], start, "TransactionID", uint.MaxValue, "UINT32");
        var rest = word[(slash + 1)..];
        var restStart = start + slash + 1;
        var slash2 = rest.IndexOf((byte)'/');
        var segmentDigits = slash2 < 0 ? rest : rest[..slash2];
        var segment = (ushort)ParseUnsigned(segmentDigits, restStart, "SegmentNumber", ushort.MaxValue, "UINT16");
        var complete = false;
        if (slash2 >= 0)
        {
            if (KeywordTable.Lookup(rest[(slash2 + 1)..]) != Keyword.SegmentationComplete)
            {
                FailAt(restStart + slash2 + 1, "SegmentationCompleteToken", "expected END");
            }
            complete = true;
        }
        return (id, segment, complete);
    }

    /// <summary>
    /// transactionReply = ReplyToken EQUAL TransactionID [SLASH SegmentNumber [SLASH END]] LBRKT
    ///   [ImmAckRequiredToken COMMA] (errorDescriptor / actionReplyList) RBRKT.
    /// </summary>
    private TransactionReply ParseTransactionReply(ref int bodyStart, ref uint? id)
    {
        ExpectEqual();
        var idStart = SkipAndMark();
        var (tid, segment, complete) = ParseTransactionIdAndSegment();
        id = tid;
        if (segment is not null)
        {
            Require(H248Features.Segmentation, idStart, "TransactionID", "a segment number");
        }
        bodyStart = SkipAndMark();
        OpenBrace();
        var immAck = false;
        if ((Peek() | 0x20) == 'i' && PeekKeyword() == Keyword.ImmAckRequired)
        {
            ReadWordOrEmpty();
            immAck = true;
            Expect((byte)',', "COMMA");
        }
        if ((Peek() | 0x20) == 'e' && PeekKeyword() == Keyword.Error)
        {
            var error = ParseErrorDescriptor();
            CloseBrace();
            return new TransactionReply(tid, ValueList<ActionReply>.Empty, error, immAck, segment, complete);
        }
        var actions = new ListBuilder<ActionReply>();
        do
        {
            CheckCount(actions.Count, "actionReply");
            actions.Add(ParseActionReply());
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new TransactionReply(tid, actions.ToValueList(), null, immAck, segment, complete);
    }

    /// <summary>errorDescriptor = ErrorToken EQUAL ErrorCode LBRKT [quotedString] RBRKT; ErrorCode = 1*4(DIGIT).</summary>
    public ErrorDescriptor ParseErrorDescriptor()
    {
        ReadKeyword("ErrorToken");
        ExpectEqual();
        var start = SkipAndMark();
        var digits = ReadWord("ErrorCode");
        if (digits.Length > 4)
        {
            FailAt(start, "ErrorCode", "error code longer than 4 digits");
        }
        var code = (ushort)ParseUnsigned(digits, start, "ErrorCode", 9999, "ErrorCode");
        string? text = null;
        if (TryOpenBrace())
        {
            if (Peek() == (byte)'"')
            {
                text = ReadQuotedString("quotedString");
            }
            CloseBrace();
        }
        return new ErrorDescriptor(code, text);
    }
}
