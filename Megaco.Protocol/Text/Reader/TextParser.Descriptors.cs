using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// H.248.1 Annex B.2 descriptor rules: ammParameter and auditReturnParameter, Media (streams,
/// LocalControl, Local/Remote SDP, TerminationState), property parameters, Mux, Modem, Statistics,
/// Packages and DigitMap. Events and signals are in their own part.
/// </summary>
internal ref partial struct TextParser
{
    /// <summary>
    /// ammParameter = mediaDescriptor / modemDescriptor / muxDescriptor / eventsDescriptor / signalsDescriptor
    ///   / digitMapDescriptor / eventBufferDescriptor / auditDescriptor / statisticsDescriptor (v3).
    /// </summary>
    private Descriptor ParseAmmParameter()
    {
        var start = SkipAndMark();
        switch (KeywordTable.Lookup(ReadWord("ammParameter")))
        {
            case Keyword.Media:
                return ParseMediaDescriptor();
            case Keyword.Modem:
                return ParseModemDescriptor();
            case Keyword.Mux:
                return ParseMuxDescriptor();
            case Keyword.Events:
                return ParseEventsDescriptor();
            case Keyword.Signals:
                return ParseSignalsDescriptor();
            case Keyword.DigitMap:
                return ParseDigitMapDescriptor();
            case Keyword.EventBuffer:
                return ParseEventBufferDescriptor();
            case Keyword.Audit:
                return ParseAuditDescriptorBody();
            case Keyword.Statistics:
                Require(H248Features.StreamStatistics, start, "ammParameter", "Statistics in an Add/Move/Modify request");
                return ParseStatisticsDescriptor();
            default:
                FailAt(start, "ammParameter", "expected a descriptor");
                return null!;
        }
    }

    /// <summary>
    /// auditReturnParameter = (mediaDescriptor / modemDescriptor / muxDescriptor / eventsDescriptor
    ///   / signalsDescriptor / digitMapDescriptor / observedEventsDescriptor / eventBufferDescriptor
    ///   / statisticsDescriptor / packagesDescriptor / errorDescriptor / auditReturnItem).
    /// A descriptor token with nothing after it is an auditReturnItem.
    /// </summary>
    private Descriptor ParseAuditReturnParameter()
    {
        var start = SkipAndMark();
        var keyword = KeywordTable.Lookup(ReadWord("auditReturnParameter"));
        var next = Peek();
        switch (keyword)
        {
            case Keyword.Media when next == (byte)'{':
                return ParseMediaDescriptor();
            case Keyword.Modem when next is (byte)'=' or (byte)'[':
                return ParseModemDescriptor();
            case Keyword.Mux when next == (byte)'=':
                return ParseMuxDescriptor();
            case Keyword.DigitMap when next is (byte)'=' or (byte)'{':
                return ParseDigitMapDescriptor();
            case Keyword.ObservedEvents when next == (byte)'=':
                return ParseObservedEventsBody();
            case Keyword.Packages when next == (byte)'{':
                return ParsePackagesDescriptor();
            case Keyword.Media:
                return new AuditReturnItemDescriptor(AuditTokens.Media);
            case Keyword.Modem:
                return new AuditReturnItemDescriptor(AuditTokens.Modem);
            case Keyword.Mux:
                return new AuditReturnItemDescriptor(AuditTokens.Mux);
            case Keyword.DigitMap:
                return new AuditReturnItemDescriptor(AuditTokens.DigitMap);
            case Keyword.ObservedEvents:
                return new AuditReturnItemDescriptor(AuditTokens.ObservedEvents);
            case Keyword.Packages:
                return new AuditReturnItemDescriptor(AuditTokens.Packages);
            case Keyword.Events:
                return ParseEventsDescriptor();
            case Keyword.Signals:
                return ParseSignalsDescriptor();
            case Keyword.EventBuffer:
                return ParseEventBufferDescriptor();
            case Keyword.Statistics:
                return ParseStatisticsDescriptor();
            case Keyword.Error:
                Seek(start);
                return ParseErrorDescriptor();
            default:
                FailAt(start, "auditReturnParameter", "expected a descriptor");
                return null!;
        }
    }

    /// <summary>
    /// mediaDescriptor = MediaToken LBRKT mediaParm *(COMMA mediaParm) RBRKT;
    /// mediaParm = (streamParm / streamDescriptor / terminationStateDescriptor).
    /// </summary>
    private MediaDescriptor ParseMediaDescriptor()
    {
        OpenBrace();
        TerminationStateDescriptor? state = null;
        var implied = new StreamBuilder();
        var streams = new ListBuilder<StreamDescriptor>();
        var mediaStart = Position;
        do
        {
            var start = SkipAndMark();
            var keyword = KeywordTable.Lookup(ReadWord("mediaParm"));
            switch (keyword)
            {
                case Keyword.Stream:
                    // streamDescriptor = StreamToken EQUAL StreamID LBRKT streamParm *(COMMA streamParm) RBRKT
                    CheckCount(streams.Count, "streamDescriptor");
                    ExpectEqual();
                    var id = ReadUInt16("StreamID");
                    OpenBrace();
                    var parms = new StreamBuilder();
                    do
                    {
                        var parmStart = SkipAndMark();
                        ParseStreamParm(KeywordTable.Lookup(ReadWord("streamParm")), parmStart, ref parms);
                    }
                    while (TryChar((byte)','));
                    CloseBrace();
                    streams.Add(new StreamDescriptor(id, parms.Build()!));
                    break;
                case Keyword.TerminationState:
                    if (state is not null)
                    {
                        FailAt(start, "mediaParm", "TerminationState appears twice in a Media descriptor");
                    }
                    state = ParseTerminationStateDescriptor();
                    break;
                default:
                    ParseStreamParm(keyword, start, ref implied);
                    break;
            }
        }
        while (TryChar((byte)','));
        CloseBrace();
        var stream = implied.Build();
        if (stream is not null && streams.Count > 0)
        {
            // H.248.1 Annex A MediaDescriptor.streams is a CHOICE of oneStream and multiStream.
            FailAt(mediaStart, "mediaDescriptor", "Media mixes parameters of the single stream with Stream descriptors");
        }
        return new MediaDescriptor(state, stream, streams.ToValueList());
    }

    /// <summary>streamParm = (localDescriptor / remoteDescriptor / localControlDescriptor / statisticsDescriptor).</summary>
    private void ParseStreamParm(Keyword keyword, int start, ref StreamBuilder parms)
    {
        switch (keyword)
        {
            case Keyword.LocalControl:
                CheckUnset(parms.LocalControl is null, start, "LocalControl");
                parms.LocalControl = ParseLocalControlDescriptor();
                break;
            case Keyword.Local:
                CheckUnset(parms.Local is null, start, "Local");
                parms.Local = ParseLocalRemoteBody();
                break;
            case Keyword.Remote:
                CheckUnset(parms.Remote is null, start, "Remote");
                parms.Remote = ParseLocalRemoteBody();
                break;
            case Keyword.Statistics:
                Require(H248Features.StreamStatistics, start, "streamParm", "Statistics in a stream");
                CheckUnset(parms.Statistics is null, start, "Statistics");
                parms.Statistics = ParseStatisticsDescriptor();
                break;
            default:
                FailAt(start, "streamParm", "expected LocalControl, Local, Remote or Statistics");
                break;
        }
    }

    private readonly void CheckUnset(bool unset, int start, string what)
    {
        if (!unset)
        {
            FailAt(start, "streamParm", $"{what} appears twice in one stream");
        }
    }

    /// <summary>
    /// localDescriptor = LocalToken LBRKT octetString RBRKT (likewise Remote); octetString = *(nonEscapeChar);
    /// nonEscapeChar = ("\}" / %x01-7C / %x7E-FF): the SDP runs to the first unescaped "}".
    /// </summary>
    private LocalRemoteDescriptor ParseLocalRemoteBody()
    {
        Expect((byte)'{', "LBRKT");
        var start = _pos;
        var rest = _text[start..];
        var end = -1;
        var escapes = 0;
        for (var i = 0; i < rest.Length; i++)
        {
            var next = rest[i..].IndexOfAny((byte)'}', (byte)'\\', (byte)0);
            if (next < 0)
            {
                break;
            }
            i += next;
            var b = rest[i];
            if (b == (byte)'}')
            {
                end = i;
                break;
            }
            if (b == 0)
            {
                FailAt(start + i, "octetString", "NUL byte in SDP");
            }
            if (i + 1 < rest.Length && rest[i + 1] == (byte)'}')
            {
                escapes++;
                i++;
            }
        }
        if (end < 0)
        {
            FailAt(start, "RBRKT", "unterminated Local or Remote descriptor");
        }
        if (end > _limits.MaxTokenLength)
        {
            FailAt(start, "octetString", $"SDP longer than {_limits.MaxTokenLength} bytes");
        }
        _pos = start + end + 1;
        return new LocalRemoteDescriptor(SplitSdpLines(rest[..end], escapes));
    }

    private readonly ValueList<SdpLine> SplitSdpLines(ReadOnlySpan<byte> sdp, int escapes)
    {
        // Most SDP is ASCII: checked once, so that each line is widened rather than UTF-8 decoded.
        var ascii = System.Text.Ascii.IsValid(sdp);
        // The lines are found first, so that their array is made once at its size; a longer SDP than
        // MaxStackLines goes through a list builder instead.
        Span<Range> found = stackalloc Range[MaxStackLines];
        var count = 0;
        var lines = new ListBuilder<SdpLine>();
        var lineStart = 0;
        while (lineStart < sdp.Length)
        {
            var eol = sdp[lineStart..].IndexOfAny((byte)'\r', (byte)'\n');
            var lineEnd = eol < 0 ? sdp.Length : lineStart + eol;
            var line = sdp[lineStart..lineEnd];
            // Indentation is the writer's layout, not SDP (RFC 4566 §5: no white space around '=').
            var trimmed = line.TrimStart(" \t"u8);
            if (!trimmed.TrimEnd(" \t"u8).IsEmpty)
            {
                CheckCount(count, "SDP line");
                var range = new Range(lineEnd - trimmed.Length, lineEnd);
                if (count < MaxStackLines)
                {
                    found[count] = range;
                }
                else
                {
                    if (count == MaxStackLines)
                    {
                        foreach (var earlier in found)
                        {
                            lines.Add(ToSdpLine(sdp[earlier], ascii, escapes));
                        }
                    }
                    lines.Add(ToSdpLine(sdp[range], ascii, escapes));
                }
                count++;
            }
            lineStart = lineEnd + 1;
        }
        if (count > MaxStackLines)
        {
            return lines.ToValueList();
        }
        if (count == 0)
        {
            return ValueList<SdpLine>.Empty;
        }
        var array = new SdpLine[count];
        for (var i = 0; i < array.Length; i++)
        {
            array[i] = ToSdpLine(sdp[found[i]], ascii, escapes);
        }
        return ValueList<SdpLine>.Own(array);
    }

    /// <summary>Lines of one Local/Remote whose places are kept on the stack (typical SDP has fewer than 16).</summary>
    private const int MaxStackLines = 32;

    private static SdpLine ToSdpLine(ReadOnlySpan<byte> line, bool ascii, int escapes)
    {
        var text = ascii ? Ascii(line) : Utf8(line);
        return new SdpLine(escapes == 0 ? text : text.Replace("\\}", "}", StringComparison.Ordinal));
    }

    /// <summary>
    /// localControlDescriptor = LocalControlToken LBRKT localParm *(COMMA localParm) RBRKT;
    /// localParm = (streamMode / propertyParm / reservedValueMode / reservedGroupMode).
    /// </summary>
    private LocalControlDescriptor ParseLocalControlDescriptor()
    {
        OpenBrace();
        StreamMode? mode = null;
        bool? group = null, value = null;
        var props = new ListBuilder<PropertyParm>();
        do
        {
            var start = SkipAndMark();
            var word = ReadWord("localParm");
            switch (KeywordTable.Lookup(word))
            {
                case Keyword.Mode:
                    CheckOnce(mode is null, start, "Mode");
                    ExpectEqual();
                    mode = ParseStreamMode();
                    break;
                case Keyword.ReservedGroup:
                    CheckOnce(group is null, start, "ReservedGroup");
                    ExpectEqual();
                    group = ParseOnOff("reservedGroupMode");
                    break;
                case Keyword.ReservedValue:
                    CheckOnce(value is null, start, "ReservedValue");
                    ExpectEqual();
                    value = ParseOnOff("reservedValueMode");
                    break;
                default:
                    CheckCount(props.Count, "propertyParm");
                    props.Add(ParseParmValue(ToPkgdName(word, start)));
                    break;
            }
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new LocalControlDescriptor(mode, group, value, props.ToValueList());
    }

    /// <summary>H.248.8 456: a property appears twice in one descriptor.</summary>
    private readonly void CheckOnce(bool unset, int start, string what)
    {
        if (!unset)
        {
            FailAt(start, "localParm", $"{what} appears twice in LocalControl", Errors.H248ErrorCode.PropertyAppearsTwiceInThisDescriptor);
        }
    }

    /// <summary>
    /// terminationStateDescriptor = TerminationStateToken LBRKT terminationStateParm *(COMMA terminationStateParm) RBRKT;
    /// terminationStateParm = (propertyParm / serviceStates / eventBufferControl).
    /// </summary>
    private TerminationStateDescriptor ParseTerminationStateDescriptor()
    {
        OpenBrace();
        ServiceState? service = null;
        EventBufferControl? buffer = null;
        var props = new ListBuilder<PropertyParm>();
        do
        {
            var start = SkipAndMark();
            var word = ReadWord("terminationStateParm");
            switch (KeywordTable.Lookup(word))
            {
                case Keyword.ServiceStates:
                    ExpectEqual();
                    service = ParseServiceState();
                    break;
                case Keyword.Buffer:
                    // eventBufferControl = BufferToken EQUAL (OffToken / LockStepToken)
                    ExpectEqual();
                    buffer = ParseChoice("eventBufferControl", EventBufferControls);
                    break;
                default:
                    CheckCount(props.Count, "propertyParm");
                    props.Add(ParseParmValue(ToPkgdName(word, start)));
                    break;
            }
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new TerminationStateDescriptor(service, buffer, props.ToValueList());
    }

    /// <summary>pkgdName = (PackageName SLASH ItemID) / (PackageName SLASH "*") / ("*" SLASH "*"); a bare NAME has no package.</summary>
    private readonly PkgdName ToPkgdName(ReadOnlySpan<byte> word, int start)
    {
        var slash = word.IndexOf((byte)'/');
        if (slash == 0 || slash == word.Length - 1)
        {
            FailAt(start, "pkgdName", "package or item name missing");
        }
        return _caches.Names.GetOrAdd(word, static w =>
        {
            var slash = w.IndexOf((byte)'/');
            return slash < 0 ? new PkgdName(string.Empty, Ascii(w)) : new PkgdName(Ascii(w[..slash]), Ascii(w[(slash + 1)..]));
        });
    }

    private PropertyParm ParsePropertyParm()
    {
        var start = SkipAndMark();
        return ParseParmValue(ToPkgdName(ReadWord("propertyParm"), start));
    }

    /// <summary>
    /// parmValue = (EQUAL alternativeValue) / (INEQUAL VALUE); INEQUAL = LWSP (">" / "&lt;" / "#") LWSP;
    /// alternativeValue = (VALUE / LSBRKT VALUE *(COMMA VALUE) RSBRKT / LSBRKT VALUE COLON VALUE RSBRKT
    ///   / LBRKT VALUE *(COMMA VALUE) RBRKT).
    /// </summary>
    private PropertyParm ParseParmValue(PkgdName name)
    {
        var start = SkipAndMark();
        switch (Peek())
        {
            case (byte)'#':
                _pos++;
                return new PropertyParm(name, OneValue(ReadValue("VALUE")), ParmRelation.NotEqual);
            case (byte)'>':
                _pos++;
                return new PropertyParm(name, OneValue(ReadValue("VALUE")), ParmRelation.GreaterThan);
            case (byte)'<':
                _pos++;
                return new PropertyParm(name, OneValue(ReadValue("VALUE")), ParmRelation.LessThan);
            case (byte)'=':
                _pos++;
                break;
            default:
                FailAt(start, "parmValue", "expected '=', '#', '>' or '<'");
                break;
        }
        if (TryChar((byte)'['))
        {
            var first = ReadValue("VALUE");
            if (TryChar((byte)':'))
            {
                var high = ReadValue("VALUE");
                Expect((byte)']', "RSBRKT");
                return new PropertyParm(name, ValueList<string>.Own([first, high]), ParmRelation.Range);
            }
            return new PropertyParm(name, ReadValueListTail(first, (byte)']', "RSBRKT"), ParmRelation.All);
        }
        if (TryOpenBrace())
        {
            var first = ReadValue("VALUE");
            var values = ReadValueListTail(first, (byte)'}', "RBRKT");
            _depth--;
            return new PropertyParm(name, values, ParmRelation.Alternatives);
        }
        return new PropertyParm(name, OneValue(ReadValue("VALUE")));
    }

    /// <summary>A list of one value, its array made directly rather than copied from a collection expression's span.</summary>
    private static ValueList<string> OneValue(string value) => ValueList<string>.Own([value]);

    private ValueList<string> ReadValueListTail(string first, byte close, string rule)
    {
        var values = new ListBuilder<string>();
        values.Add(first);
        while (TryChar((byte)','))
        {
            CheckCount(values.Count, "VALUE");
            values.Add(ReadValue("VALUE"));
        }
        Expect(close, rule);
        return values.ToValueList();
    }

    /// <summary>
    /// statisticsDescriptor = StatsToken [LBRKT statisticsParameter *(COMMA statisticsParameter) RBRKT];
    /// statisticsParameter = pkgdName [EQUAL (VALUE / LSBRKT VALUE *(COMMA VALUE) RSBRKT)].
    /// </summary>
    private StatisticsDescriptor ParseStatisticsDescriptor()
    {
        if (!TryOpenBrace())
        {
            return StatisticsDescriptor.Empty;
        }
        var parms = new ListBuilder<StatisticsParameter>();
        if (Peek() != (byte)'}')
        {
            do
            {
                CheckCount(parms.Count, "statisticsParameter");
                var start = SkipAndMark();
                var name = ToPkgdName(ReadWord("statisticsParameter"), start);
                ValueList<string>? values = null;
                if (TryChar((byte)'='))
                {
                    values = TryChar((byte)'[')
                        ? ReadValueListTail(ReadValue("VALUE"), (byte)']', "RSBRKT")
                        : OneValue(ReadValue("VALUE"));
                }
                parms.Add(new StatisticsParameter(name, values));
            }
            while (TryChar((byte)','));
        }
        CloseBrace();
        return new StatisticsDescriptor(parms.ToValueList());
    }

    /// <summary>
    /// muxDescriptor = MuxToken EQUAL MuxType terminationIDList;
    /// terminationIDList = LBRKT TerminationID *(COMMA TerminationID) RBRKT.
    /// </summary>
    private MuxDescriptor ParseMuxDescriptor()
    {
        ExpectEqual();
        var type = Ascii(ReadWord("MuxType"));
        OpenBrace();
        var ids = new ListBuilder<TerminationId>();
        do
        {
            CheckCount(ids.Count, "terminationIDList");
            ids.Add(ParseTerminationId());
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new MuxDescriptor(type, ids.ToValueList());
    }

    /// <summary>
    /// modemDescriptor = ModemToken ((EQUAL modemType) / (LSBRKT modemType *(COMMA modemType) RSBRKT))
    ///   [LBRKT propertyParm *(COMMA propertyParm) RBRKT].
    /// </summary>
    private ModemDescriptor ParseModemDescriptor()
    {
        ValueList<string> types;
        var isList = false;
        if (TryChar((byte)'['))
        {
            isList = true;
            var list = new ListBuilder<string>();
            do
            {
                CheckCount(list.Count, "modemType");
                list.Add(Ascii(ReadWord("modemType")));
            }
            while (TryChar((byte)','));
            Expect((byte)']', "RSBRKT");
            types = list.ToValueList();
        }
        else
        {
            ExpectEqual();
            types = [Ascii(ReadWord("modemType"))];
        }
        var props = new ListBuilder<PropertyParm>();
        if (TryOpenBrace())
        {
            do
            {
                CheckCount(props.Count, "propertyParm");
                props.Add(ParsePropertyParm());
            }
            while (TryChar((byte)','));
            CloseBrace();
        }
        return new ModemDescriptor(types, props.ToValueList(), isList);
    }

    /// <summary>packagesDescriptor = PackagesToken LBRKT packagesItem *(COMMA packagesItem) RBRKT.</summary>
    private PackagesDescriptor ParsePackagesDescriptor()
    {
        OpenBrace();
        var items = new ListBuilder<PackageItem>();
        do
        {
            CheckCount(items.Count, "packagesItem");
            items.Add(ParsePackageItem());
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new PackagesDescriptor(items.ToValueList());
    }

    /// <summary>packagesItem = NAME "-" UINT16.</summary>
    private PackageItem ParsePackageItem()
    {
        var start = SkipAndMark();
        var word = ReadWord("packagesItem");
        var dash = word.LastIndexOf((byte)'-');
        if (dash <= 0)
        {
            FailAt(start, "packagesItem", "expected name-version");
        }
        var version = (ushort)ParseUnsigned(word[(dash + 1)..], start + dash + 1, "packagesItem", ushort.MaxValue, "UINT16");
        return new PackageItem(Ascii(word[..dash]), version);
    }

    /// <summary>
    /// digitMapDescriptor = DigitMapToken EQUAL ((LBRKT digitMapValue RBRKT) / (digitMapName [LBRKT digitMapValue RBRKT]));
    /// Erlang/OTP megaco also writes and reads <c>DigitMap { value }</c> without EQUAL.
    /// </summary>
    private DigitMapDescriptor ParseDigitMapDescriptor()
    {
        TryChar((byte)'=');
        string? name = null;
        if (Peek() != (byte)'{')
        {
            name = Ascii(ReadWord("digitMapName"));
            if (Peek() != (byte)'{')
            {
                return new DigitMapDescriptor(name);
            }
        }
        return new DigitMapDescriptor(name, ParseDigitMapValue());
    }

    /// <summary>
    /// digitMapValue = ["T" COLON Timer COMMA] ["S" COLON Timer COMMA] ["L" COLON Timer COMMA]
    ///   ["Z" COLON Timer COMMA] digitMap; Timer = 1*2DIGIT. White space inside is not significant.
    /// </summary>
    private DigitMapValue ParseDigitMapValue()
    {
        OpenBrace();
        var start = _pos;
        var end = _text[start..].IndexOf((byte)'}');
        if (end < 0)
        {
            FailAt(start, "RBRKT", "unterminated digit map");
        }
        if (end > _limits.MaxTokenLength)
        {
            FailAt(start, "digitMap", $"digit map longer than {_limits.MaxTokenLength} bytes");
        }
        var body = _text.Slice(start, end);
        foreach (var b in body)
        {
            // digitMap characters (DIGIT, letters, "#", "*", ".", "|", "(", ")", "[", "]", "-"), the timers'
            // ":" and ",", and LWSP; anything else cannot be a digit map.
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'#' or (byte)'*' or (byte)'.' or (byte)'|'
                    or (byte)'(' or (byte)')' or (byte)'[' or (byte)']' or (byte)'-' or (byte)':' or (byte)','
                    or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                FailAt(start + body.IndexOf(b), "digitMap", "invalid character in digit map");
            }
        }
        ushort? t = null, s = null, l = null, z = null;
        // The blanks after LBRKT and before RBRKT are their LWSP (Annex B.2): layout, not digit map.
        body = body.Trim(" \t\r\n"u8);
        while (body.Length >= 2 && body[1] == (byte)':')
        {
            var comma = body.IndexOf((byte)',');
            if (comma < 0)
            {
                FailAt(start, "digitMapValue", "timer without a following digit map");
            }
            var timerStart = start + end - body.Length;
            var timer = (ushort)ParseUnsigned(body[2..comma].Trim(" \t\r\n"u8), timerStart, "Timer", 99, "Timer");
            switch (body[0] | 0x20)
            {
                case 't':
                    t = timer;
                    break;
                case 's':
                    s = timer;
                    break;
                case 'l':
                    l = timer;
                    break;
                case 'z':
                    Require(H248Features.DigitMapDurationTimer, timerStart, "digitMapValue", "the Z: duration timer");
                    z = timer;
                    break;
                default:
                    FailAt(timerStart, "digitMapValue", "unknown digit map timer");
                    break;
            }
            body = body[(comma + 1)..].TrimStart(" \t\r\n"u8);
        }
        if (body.IsEmpty)
        {
            FailAt(start, "digitMap", "empty digit map");
        }
        var separator = body.IndexOfAny((byte)':', (byte)',');
        if (separator >= 0)
        {
            // ":" and "," belong to the timers, which come first; inside the digit map they are faults.
            FailAt(start + end - body.Length + separator, "digitMap", "invalid character in digit map");
        }
        _pos = start + end;
        CloseBrace();
        return new DigitMapValue(WithoutBlanks(body), t, s, l, z);
    }

    /// <summary>
    /// The digit map with its LWSP removed: Annex B allows LWSP only around "(", "|", ")", "[" and "]",
    /// where it means nothing, so the canonical form has none (and can be written on one line).
    /// </summary>
    private static string WithoutBlanks(ReadOnlySpan<byte> body)
    {
        if (body.IndexOfAny(" \t\r\n"u8) < 0)
        {
            return Ascii(body);
        }
        Span<byte> compact = body.Length <= 256 ? stackalloc byte[body.Length] : new byte[body.Length];
        var n = 0;
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                compact[n++] = b;
            }
        }
        return Ascii(compact[..n]);
    }

    /// <summary>Accumulates the parameters of one stream.</summary>
    private struct StreamBuilder
    {
        public LocalControlDescriptor? LocalControl;
        public LocalRemoteDescriptor? Local;
        public LocalRemoteDescriptor? Remote;
        public StatisticsDescriptor? Statistics;

        public readonly StreamParms? Build() =>
            LocalControl is null && Local is null && Remote is null && Statistics is null
                ? null
                : new StreamParms(LocalControl, Local, Remote, Statistics);
    }
}
