using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// H.248.1 Annex B.2 audit rules: auditDescriptor with auditItem tokens and the v2+ individual
/// audit (indAud) descriptors.
/// </summary>
internal ref partial struct TextParser
{
    /// <summary>auditDescriptor = AuditToken LBRKT [auditItem *(COMMA auditItem)] RBRKT.</summary>
    private AuditDescriptor ParseAuditDescriptorBody()
    {
        OpenBrace();
        var audit = new AuditBuilder();
        if (Peek() != (byte)'}')
        {
            do
            {
                ParseAuditItem(ref audit);
            }
            while (TryChar((byte)','));
        }
        CloseBrace();
        return audit.BuildOrNull() ?? AuditDescriptor.Empty;
    }

    /// <summary>
    /// auditItem = (auditReturnItem / SignalsToken / EventBufferToken / EventsToken / StatsToken) / indAudterminationAudit (v2);
    /// a token followed by a brace or EQUAL is an individual audit descriptor.
    /// </summary>
    private void ParseAuditItem(ref AuditBuilder audit)
    {
        audit.CheckCount(this);
        var start = SkipAndMark();
        var keyword = KeywordTable.Lookup(ReadWord("auditItem"));
        var next = Peek();
        if (next is (byte)'{' or (byte)'=' && keyword is Keyword.Media or Keyword.DigitMap or Keyword.Packages or Keyword.Statistics
                or Keyword.Signals or Keyword.EventBuffer or Keyword.Events)
        {
            Require(H248Features.IndividualAudit, start, "auditItem", "an individual audit item");
        }
        switch (keyword)
        {
            case Keyword.Mux:
                audit.Tokens |= AuditTokens.Mux;
                return;
            case Keyword.Modem:
                audit.Tokens |= AuditTokens.Modem;
                return;
            case Keyword.ObservedEvents:
                audit.Tokens |= AuditTokens.ObservedEvents;
                return;
            case Keyword.Media when next == (byte)'{':
                audit.Parameters.Add(ParseIndAudMedia());
                return;
            case Keyword.Media:
                audit.Tokens |= AuditTokens.Media;
                return;
            case Keyword.DigitMap when next == (byte)'=':
                // indAuddigitMapDescriptor = DigitMapToken EQUAL digitMapName
                ExpectEqual();
                audit.Parameters.Add(new IndAudDigitMapDescriptor(Ascii(ReadWord("digitMapName"))));
                return;
            case Keyword.DigitMap:
                audit.Tokens |= AuditTokens.DigitMap;
                return;
            case Keyword.Packages when next == (byte)'{':
                // indAudpackagesDescriptor = PackagesToken LBRKT packagesItem RBRKT
                OpenBrace();
                audit.Parameters.Add(new IndAudPackagesDescriptor(ParsePackageItem()));
                CloseBrace();
                return;
            case Keyword.Packages:
                audit.Tokens |= AuditTokens.Packages;
                return;
            case Keyword.Statistics when next == (byte)'{':
                // indAudstatisticsDescriptor = StatsToken LBRKT pkgdName RBRKT
                OpenBrace();
                audit.Parameters.Add(new IndAudStatisticsDescriptor(ReadPkgdName("pkgdName")));
                CloseBrace();
                return;
            case Keyword.Statistics:
                audit.Tokens |= AuditTokens.Statistics;
                return;
            case Keyword.Signals when next == (byte)'{':
                audit.Parameters.Add(ParseIndAudSignals());
                return;
            case Keyword.Signals:
                audit.Tokens |= AuditTokens.Signals;
                return;
            case Keyword.EventBuffer when next == (byte)'{':
                audit.Parameters.Add(ParseIndAudEventBuffer());
                return;
            case Keyword.EventBuffer:
                audit.Tokens |= AuditTokens.EventBuffer;
                return;
            case Keyword.Events when next is (byte)'{' or (byte)'=':
                audit.Parameters.Add(ParseIndAudEvents());
                return;
            case Keyword.Events:
                audit.Tokens |= AuditTokens.Events;
                return;
            default:
                FailAt(start, "auditItem", "expected an audit item");
                return;
        }
    }

    private PkgdName ReadPkgdName(string rule)
    {
        var start = SkipAndMark();
        return ToPkgdName(ReadWord(rule), start);
    }

    /// <summary>
    /// indAudmediaDescriptor = MediaToken LBRKT indAudmediaParm *(COMMA indAudmediaParm) RBRKT;
    /// indAudmediaParm = (indAudstreamParm / indAudstreamDescriptor / indAudterminationStateDescriptor).
    /// </summary>
    private IndAudMediaDescriptor ParseIndAudMedia()
    {
        OpenBrace();
        IndAudTerminationStateDescriptor? state = null;
        var implied = new IndAudStreamBuilder();
        var streams = new ListBuilder<IndAudStreamDescriptor>();
        do
        {
            var start = SkipAndMark();
            var keyword = KeywordTable.Lookup(ReadWord("indAudmediaParm"));
            switch (keyword)
            {
                case Keyword.Stream:
                    // indAudstreamDescriptor = StreamToken EQUAL StreamID LBRKT indAudstreamParm RBRKT
                    CheckCount(streams.Count, "indAudstreamDescriptor");
                    ExpectEqual();
                    var id = ReadUInt16("StreamID");
                    OpenBrace();
                    var parms = new IndAudStreamBuilder();
                    do
                    {
                        var parmStart = SkipAndMark();
                        ParseIndAudStreamParm(KeywordTable.Lookup(ReadWord("indAudstreamParm")), parmStart, ref parms);
                    }
                    while (TryChar((byte)','));
                    CloseBrace();
                    streams.Add(new IndAudStreamDescriptor(id, parms.Build() ?? new IndAudStreamParms()));
                    break;
                case Keyword.TerminationState:
                    state = ParseIndAudTerminationState();
                    break;
                default:
                    ParseIndAudStreamParm(keyword, start, ref implied);
                    break;
            }
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new IndAudMediaDescriptor(state, implied.Build(), streams.ToValueList());
    }

    /// <summary>indAudstreamParm = (RemoteToken / LocalToken / indAudlocalControlDescriptor / indAudstatisticsDescriptor).</summary>
    private void ParseIndAudStreamParm(Keyword keyword, int start, ref IndAudStreamBuilder parms)
    {
        if (keyword is Keyword.Local or Keyword.Remote or Keyword.Statistics)
        {
            Require(H248Features.IndividualAuditSelect, start, "indAudstreamParm", "auditing Local, Remote or Statistics");
        }
        switch (keyword)
        {
            case Keyword.Local:
                SkipOptionalOctetString();
                parms.Local = true;
                break;
            case Keyword.Remote:
                SkipOptionalOctetString();
                parms.Remote = true;
                break;
            case Keyword.LocalControl:
                parms.LocalControl = ParseIndAudLocalControl();
                break;
            case Keyword.Statistics:
                OpenBrace();
                parms.Statistic = ReadPkgdName("pkgdName");
                CloseBrace();
                break;
            default:
                FailAt(start, "indAudstreamParm", "expected Local, Remote, LocalControl or Statistics");
                break;
        }
    }

    /// <summary>Erlang/OTP megaco writes an audited Local/Remote as an empty <c>Local { }</c>; the content carries nothing.</summary>
    private void SkipOptionalOctetString()
    {
        if (Peek() == (byte)'{')
        {
            ParseLocalRemoteBody();
        }
    }

    /// <summary>
    /// indAudlocalControlDescriptor = LocalControlToken LBRKT indAudlocalParm *(COMMA indAudlocalParm) RBRKT;
    /// indAudlocalParm = (ModeToken [(EQUAL / INEQUAL) streamModes] / ReservedGroupToken / ReservedValueToken / indAudpropertyParm).
    /// </summary>
    private IndAudLocalControlDescriptor ParseIndAudLocalControl()
    {
        OpenBrace();
        bool mode = false, notEqual = false, group = false, value = false;
        StreamMode? select = null;
        var props = new ListBuilder<IndAudPropertyParm>();
        do
        {
            var start = SkipAndMark();
            var word = ReadWord("indAudlocalParm");
            switch (KeywordTable.Lookup(word))
            {
                case Keyword.Mode:
                    mode = true;
                    if (TryReadSelectRelation(out notEqual))
                    {
                        select = ParseStreamMode();
                    }
                    break;
                case Keyword.ReservedGroup:
                    group = true;
                    break;
                case Keyword.ReservedValue:
                    value = true;
                    break;
                default:
                    CheckCount(props.Count, "indAudpropertyParm");
                    props.Add(ParseIndAudPropertyParm(ToPkgdName(word, start)));
                    break;
            }
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new IndAudLocalControlDescriptor(mode, select, notEqual, group, value, props.ToValueList());
    }

    /// <summary>The v3 selection after an audited item: [(EQUAL / INEQUAL) value]; true when a value follows.</summary>
    private bool TryReadSelectRelation(out bool notEqual)
    {
        var start = SkipAndMark();
        notEqual = TryChar((byte)'#');
        var selects = notEqual || TryChar((byte)'=');
        if (selects)
        {
            Require(H248Features.IndividualAuditSelect, start, "indAudlocalParm", "an audit selection");
        }
        return selects;
    }

    /// <summary>indAudpropertyParm = pkgdName [parmValue] (the value selects, v3).</summary>
    private IndAudPropertyParm ParseIndAudPropertyParm(PkgdName name)
    {
        var next = Peek();
        if (next is (byte)'=' or (byte)'#' or (byte)'>' or (byte)'<')
        {
            Require(H248Features.IndividualAuditSelect, Position, "indAudpropertyParm", "an audit selection");
            return new IndAudPropertyParm(name, ParseParmValue(name));
        }
        return new IndAudPropertyParm(name);
    }

    /// <summary>
    /// indAudterminationStateDescriptor = TerminationStateToken LBRKT indAudterminationStateParm RBRKT;
    /// indAudterminationStateParm = (indAudpropertyParm / ServiceStatesToken [(EQUAL / INEQUAL) serviceStatesValue] / BufferToken).
    /// </summary>
    private IndAudTerminationStateDescriptor ParseIndAudTerminationState()
    {
        OpenBrace();
        bool states = false, notEqual = false, buffer = false;
        ServiceState? select = null;
        var props = new ListBuilder<IndAudPropertyParm>();
        do
        {
            var start = SkipAndMark();
            var word = ReadWord("indAudterminationStateParm");
            switch (KeywordTable.Lookup(word))
            {
                case Keyword.ServiceStates:
                    states = true;
                    if (TryReadSelectRelation(out notEqual))
                    {
                        select = ParseServiceState();
                    }
                    break;
                case Keyword.Buffer:
                    buffer = true;
                    break;
                default:
                    CheckCount(props.Count, "indAudpropertyParm");
                    props.Add(ParseIndAudPropertyParm(ToPkgdName(word, start)));
                    break;
            }
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new IndAudTerminationStateDescriptor(states, select, notEqual, buffer, props.ToValueList());
    }

    /// <summary>
    /// indAudeventBufferDescriptor = EventBufferToken LBRKT indAudeventSpec RBRKT;
    /// indAudeventSpec = pkgdName [LBRKT indAudeventSpecParameter RBRKT]; indAudeventSpecParameter = (eventStream / eventParameterName).
    /// </summary>
    private IndAudEventBufferDescriptor ParseIndAudEventBuffer()
    {
        OpenBrace();
        var name = ReadPkgdName("indAudeventSpec");
        ushort? stream = null;
        string? parameter = null;
        if (TryOpenBrace())
        {
            var word = ReadWord("indAudeventSpecParameter");
            if (KeywordTable.Lookup(word) == Keyword.Stream && Peek() == (byte)'=')
            {
                ExpectEqual();
                stream = ReadUInt16("StreamID");
            }
            else
            {
                parameter = Ascii(word);
            }
            CloseBrace();
        }
        CloseBrace();
        return new IndAudEventBufferDescriptor(name, stream, parameter);
    }

    /// <summary>
    /// indAudeventsDescriptor = EventsToken [EQUAL RequestID] LBRKT indAudrequestedEvent RBRKT;
    /// indAudrequestedEvent = pkgdName. (The ASN.1 streamID of IndAudEventsDescriptor has no text form.)
    /// </summary>
    private IndAudEventsDescriptor ParseIndAudEvents()
    {
        uint? requestId = null;
        if (TryChar((byte)'='))
        {
            requestId = ParseRequestId();
        }
        OpenBrace();
        var name = ReadPkgdName("indAudrequestedEvent");
        CloseBrace();
        return new IndAudEventsDescriptor(name, requestId);
    }

    /// <summary>
    /// indAudsignalsDescriptor = SignalsToken LBRKT [indAudsignalParm] RBRKT; indAudsignalParm = indAudsignalList / signalRequest;
    /// indAudsignalList = SignalListToken EQUAL signalListId [LBRKT signalListParm RBRKT].
    /// </summary>
    private IndAudSignalsDescriptor ParseIndAudSignals()
    {
        OpenBrace();
        if (TryChar((byte)'}'))
        {
            _depth--;
            return new IndAudSignalsDescriptor();
        }
        var start = SkipAndMark();
        var word = ReadWord("indAudsignalParm");
        SignalItem signal;
        if (KeywordTable.Lookup(word) == Keyword.SignalList && Peek() == (byte)'=')
        {
            ExpectEqual();
            var id = ReadUInt16("signalListId");
            var list = new ListBuilder<SignalRequest>();
            if (TryOpenBrace())
            {
                list.Add(ParseSignalRequest(ReadPkgdName("signalListParm")));
                CloseBrace();
            }
            signal = new SignalList(id, list.ToValueList());
        }
        else
        {
            signal = ParseSignalRequest(ToPkgdName(word, start));
        }
        CloseBrace();
        return new IndAudSignalsDescriptor(signal);
    }

    /// <summary>Accumulates the items of one Audit descriptor.</summary>
    private struct AuditBuilder
    {
        public AuditTokens Tokens;
        public ListBuilder<IndAuditParameter> Parameters;
        private int _count;

        public void CheckCount(in TextParser parser) => parser.CheckCount(_count++, "auditItem");

        public AuditDescriptor? BuildOrNull() =>
            Tokens == AuditTokens.None && Parameters.Count == 0 ? null : new AuditDescriptor(Tokens, Parameters.ToValueList());
    }

    /// <summary>Accumulates the audited parameters of one stream.</summary>
    private struct IndAudStreamBuilder
    {
        public IndAudLocalControlDescriptor? LocalControl;
        public bool Local;
        public bool Remote;
        public PkgdName? Statistic;

        public readonly IndAudStreamParms? Build() =>
            LocalControl is null && !Local && !Remote && Statistic is null
                ? null
                : new IndAudStreamParms(LocalControl, Local, Remote, Statistic);
    }
}
