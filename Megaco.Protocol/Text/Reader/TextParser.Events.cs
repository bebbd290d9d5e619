using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// H.248.1 Annex B.2 event and signal rules: eventsDescriptor with requestedEvent and its
/// parameters (KeepActive, Embed, eventDM, eventStream, v3 notify behaviour and
/// ResetEventsDescriptor), signalsDescriptor with signalRequest and signalList,
/// observedEventsDescriptor and eventBufferDescriptor.
/// </summary>
internal ref partial struct TextParser
{
    /// <summary>RequestID = (UINT32 / "*"); "*" is the ALL request id 0xFFFFFFFF (H.248.1 Annex A).</summary>
    private uint ParseRequestId()
    {
        if (Peek() == (byte)'*')
        {
            var start = _pos;
            var word = ReadWord("RequestID");
            if (word.Length != 1)
            {
                FailAt(start, "RequestID", "expected a request id");
            }
            return uint.MaxValue;
        }
        return ReadUInt32("RequestID");
    }

    /// <summary>
    /// eventsDescriptor = EventsToken [EQUAL RequestID LBRKT requestedEvent *(COMMA requestedEvent) RBRKT];
    /// also embedFirst (the second events descriptor inside Embed).
    /// </summary>
    private EventsDescriptor ParseEventsDescriptor(bool second = false)
    {
        if (!TryChar((byte)'='))
        {
            return EventsDescriptor.Empty;
        }
        var requestId = ParseRequestId();
        OpenBrace();
        var events = new ListBuilder<RequestedEvent>();
        do
        {
            CheckCount(events.Count, "requestedEvent");
            events.Add(ParseRequestedEvent(second));
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new EventsDescriptor(requestId, events.ToValueList());
    }

    /// <summary>
    /// requestedEvent = pkgdName [LBRKT eventParameter *(COMMA eventParameter) RBRKT];
    /// eventParameter = (embedWithSig / embedNoSig / KeepActiveToken / eventDM / eventStream / eventOther
    ///   / notifyBehaviour / ResetEventsDescriptorToken).
    /// </summary>
    /// <remarks>
    /// In the embedded (second) events descriptor an event may embed signals only: secondEventParameter
    /// has embedSig = EmbedToken LBRKT signalsDescriptor RBRKT, so embedding stops at two levels.
    /// </remarks>
    private RequestedEvent ParseRequestedEvent(bool second)
    {
        var start = SkipAndMark();
        var name = ToPkgdName(ReadWord("requestedEvent"), start);
        if (!TryOpenBrace())
        {
            return new RequestedEvent(name);
        }
        ushort? stream = null;
        var keepActive = false;
        var reset = false;
        SignalsDescriptor? embeddedSignals = null;
        EventsDescriptor? embeddedEvents = null;
        DigitMapDescriptor? digitMap = null;
        NotifyBehaviour? notify = null;
        var parms = new ListBuilder<PropertyParm>();
        var count = 0;
        do
        {
            CheckCount(count++, "eventParameter");
            var paramStart = SkipAndMark();
            var word = ReadWord("eventParameter");
            switch (KeywordTable.Lookup(word))
            {
                case Keyword.KeepActive:
                    keepActive = true;
                    break;
                case Keyword.Embed:
                    (embeddedSignals, embeddedEvents) = ParseEmbed(second);
                    break;
                case Keyword.DigitMap:
                    digitMap = ParseDigitMapDescriptor();
                    break;
                case Keyword.Stream when Peek() == (byte)'=':
                    ExpectEqual();
                    stream = ReadUInt16("StreamID");
                    break;
                case Keyword.ImmediateNotify or Keyword.NeverNotify or Keyword.RegulatedNotify or Keyword.ResetEventsDescriptor
                    when (_features & H248Features.NotifyBehaviour) == 0:
                    Require(H248Features.NotifyBehaviour, paramStart, "eventParameter", KeywordTable.Long(KeywordTable.Lookup(word)));
                    break;
                case Keyword.ImmediateNotify:
                    notify = new NotifyBehaviour(NotifyBehaviourKind.Immediate);
                    break;
                case Keyword.NeverNotify:
                    notify = new NotifyBehaviour(NotifyBehaviourKind.Never);
                    break;
                case Keyword.RegulatedNotify:
                    // notifyRegulated = NotifyRegulatedToken [LBRKT embedWithSig / embedNoSig RBRKT]
                    if (TryOpenBrace())
                    {
                        if (ReadKeyword("embedWithSig") != Keyword.Embed)
                        {
                            Fail("EmbedToken", "expected Embed");
                        }
                        var (signals, events) = ParseEmbed(second);
                        CloseBrace();
                        notify = new NotifyBehaviour(NotifyBehaviourKind.Regulated, signals, events);
                    }
                    else
                    {
                        notify = new NotifyBehaviour(NotifyBehaviourKind.Regulated);
                    }
                    break;
                case Keyword.ResetEventsDescriptor:
                    reset = true;
                    break;
                default:
                    // eventOther = eventParameterName parmValue
                    parms.Add(ParseParmValue(ToPkgdName(word, paramStart)));
                    break;
            }
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new RequestedEvent(name, stream, keepActive, embeddedSignals, embeddedEvents, digitMap, notify, reset, parms.ToValueList());
    }

    /// <summary>
    /// embedWithSig = EmbedToken LBRKT signalsDescriptor [COMMA embedFirst] RBRKT;
    /// embedNoSig = EmbedToken LBRKT embedFirst RBRKT; embedFirst = EventsToken [EQUAL RequestID LBRKT ... RBRKT].
    /// </summary>
    private (SignalsDescriptor?, EventsDescriptor?) ParseEmbed(bool second)
    {
        OpenBrace();
        SignalsDescriptor? signals = null;
        EventsDescriptor? events = null;
        var start = SkipAndMark();
        var keyword = KeywordTable.Lookup(ReadWord("embedFirst"));
        if (second && keyword != Keyword.Signals)
        {
            FailAt(start, "embedSig", "an embedded event can embed only a Signals descriptor");
        }
        if (keyword == Keyword.Signals)
        {
            signals = ParseSignalsDescriptor();
            if (TryChar((byte)','))
            {
                start = SkipAndMark();
                keyword = KeywordTable.Lookup(ReadWord("embedFirst"));
            }
            else
            {
                keyword = Keyword.None;
            }
        }
        if (keyword == Keyword.Events && !second)
        {
            events = ParseEventsDescriptor(second: true);
        }
        else if (keyword != Keyword.None || signals is null)
        {
            FailAt(start, second ? "RBRKT" : "embedFirst", second ? "an embedded event can embed only a Signals descriptor" : "expected Signals or Events inside Embed");
        }
        CloseBrace();
        return (signals, events);
    }

    /// <summary>signalsDescriptor = SignalsToken [LBRKT [signalParm *(COMMA signalParm)] RBRKT]; signalParm = signalList / signalRequest.</summary>
    private SignalsDescriptor ParseSignalsDescriptor()
    {
        if (!TryOpenBrace())
        {
            return SignalsDescriptor.Empty;
        }
        var items = new ListBuilder<SignalItem>();
        if (Peek() != (byte)'}')
        {
            do
            {
                CheckCount(items.Count, "signalParm");
                var start = SkipAndMark();
                var word = ReadWord("signalParm");
                if (KeywordTable.Lookup(word) == Keyword.SignalList && Peek() == (byte)'=')
                {
                    items.Add(ParseSignalListBody());
                }
                else
                {
                    items.Add(ParseSignalRequest(ToPkgdName(word, start)));
                }
            }
            while (TryChar((byte)','));
        }
        CloseBrace();
        return new SignalsDescriptor(items.ToValueList());
    }

    /// <summary>signalList = SignalListToken EQUAL signalListId LBRKT signalListParm *(COMMA signalListParm) RBRKT.</summary>
    private SignalList ParseSignalListBody()
    {
        ExpectEqual();
        var id = ReadUInt16("signalListId");
        OpenBrace();
        var signals = new ListBuilder<SignalRequest>();
        do
        {
            CheckCount(signals.Count, "signalListParm");
            var start = SkipAndMark();
            signals.Add(ParseSignalRequest(ToPkgdName(ReadWord("signalRequest"), start)));
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new SignalList(id, signals.ToValueList());
    }

    /// <summary>
    /// signalRequest = signalName [LBRKT sigParameter *(COMMA sigParameter) RBRKT];
    /// sigParameter = sigStream / sigSignalType / sigDuration / sigOther / notifyCompletion / KeepActiveToken
    ///   / direction (v3) / sigRequestID (v3) / sigIntsigDelay (v3).
    /// </summary>
    private SignalRequest ParseSignalRequest(PkgdName name)
    {
        if (!TryOpenBrace())
        {
            return new SignalRequest(name);
        }
        ushort? stream = null, duration = null, intersignal = null;
        SignalType? type = null;
        ValueList<NotifyCompletionReason>? completion = null;
        var keepActive = false;
        SignalDirection? direction = null;
        uint? requestId = null;
        var parms = new ListBuilder<PropertyParm>();
        var count = 0;
        do
        {
            CheckCount(count++, "sigParameter");
            var start = SkipAndMark();
            var word = ReadWord("sigParameter");
            var keyword = KeywordTable.Lookup(word);
            if (keyword == Keyword.KeepActive)
            {
                keepActive = true;
                continue;
            }
            if (keyword is Keyword.Direction or Keyword.RequestId or Keyword.Intersignal && Peek() == (byte)'=')
            {
                Require(H248Features.SignalV3Parameters, start, "sigParameter", KeywordTable.Long(keyword));
            }
            if (Peek() == (byte)'=')
            {
                switch (keyword)
                {
                    case Keyword.Stream:
                        ExpectEqual();
                        stream = ReadUInt16("StreamID");
                        continue;
                    case Keyword.SignalType:
                        ExpectEqual();
                        type = ParseChoice("signalType", SignalTypes);
                        continue;
                    case Keyword.Duration:
                        ExpectEqual();
                        duration = ReadUInt16("sigDuration");
                        continue;
                    case Keyword.NotifyCompletion:
                        ExpectEqual();
                        completion = ParseNotifyCompletion();
                        continue;
                    case Keyword.Direction:
                        ExpectEqual();
                        direction = ParseChoice("direction", SignalDirections);
                        continue;
                    case Keyword.RequestId:
                        ExpectEqual();
                        requestId = ParseRequestId();
                        continue;
                    case Keyword.Intersignal:
                        ExpectEqual();
                        intersignal = ReadUInt16("sigIntsigDelay");
                        continue;
                }
            }
            // sigOther = sigParameterName parmValue
            parms.Add(ParseParmValue(ToPkgdName(word, start)));
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new SignalRequest(name, stream, type, duration, completion, keepActive, direction, requestId, intersignal, parms.ToValueList());
    }

    /// <summary>
    /// notifyCompletion = NotifyCompletionToken EQUAL (LBRKT notificationReason *(COMMA notificationReason) RBRKT);
    /// notificationReason = (TimeOutToken / InterruptByEventToken / InterruptByNewSignalsDescrToken / OtherReasonToken / IterationToken).
    /// </summary>
    private ValueList<NotifyCompletionReason> ParseNotifyCompletion()
    {
        OpenBrace();
        var reasons = new ListBuilder<NotifyCompletionReason>();
        do
        {
            CheckCount(reasons.Count, "notificationReason");
            var reasonStart = SkipAndMark();
            var reason = ParseChoice("notificationReason", NotificationReasons);
            if (reason == NotifyCompletionReason.Iteration)
            {
                Require(H248Features.SignalV3Parameters, reasonStart, "notificationReason", "Iteration");
            }
            reasons.Add(reason);
        }
        while (TryChar((byte)','));
        CloseBrace();
        return reasons.ToValueList();
    }

    private ObservedEventsDescriptor ParseObservedEventsDescriptor()
    {
        if (ReadKeyword("observedEventsDescriptor") != Keyword.ObservedEvents)
        {
            Fail("ObservedEventsToken", "expected ObservedEvents");
        }
        return ParseObservedEventsBody();
    }

    /// <summary>observedEventsDescriptor = ObservedEventsToken EQUAL RequestID LBRKT observedEvent *(COMMA observedEvent) RBRKT.</summary>
    private ObservedEventsDescriptor ParseObservedEventsBody()
    {
        ExpectEqual();
        var requestId = ParseRequestId();
        OpenBrace();
        var events = new ListBuilder<ObservedEvent>();
        do
        {
            CheckCount(events.Count, "observedEvent");
            events.Add(ParseObservedEvent());
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new ObservedEventsDescriptor(requestId, events.ToValueList());
    }

    /// <summary>
    /// observedEvent = [TimeStamp LWSP COLON] LWSP pkgdName [LBRKT observedEventParameter *(COMMA observedEventParameter) RBRKT];
    /// observedEventParameter = eventStream / eventOther. Also eventSpec of an EventBuffer descriptor, which has no time stamp.
    /// </summary>
    private ObservedEvent ParseObservedEvent(bool eventSpec = false)
    {
        var start = SkipAndMark();
        var word = ReadWord("observedEvent");
        TimeNotation? timestamp = null;
        if (TryTimeStamp(word, out var ts) && Peek() == (byte)':')
        {
            if (eventSpec)
            {
                // eventSpec = pkgdName [LBRKT eventSpecParameter *(COMMA eventSpecParameter) RBRKT]: no time stamp.
                FailAt(start, "eventSpec", "an EventBuffer event has no time stamp");
            }
            _pos++;
            timestamp = ts;
            start = SkipAndMark();
            word = ReadWord("pkgdName");
        }
        var name = ToPkgdName(word, start);
        if (!TryOpenBrace())
        {
            return new ObservedEvent(name, timestamp);
        }
        ushort? stream = null;
        var parms = new ListBuilder<PropertyParm>();
        do
        {
            CheckCount(parms.Count, "observedEventParameter");
            var paramStart = SkipAndMark();
            var paramWord = ReadWord("observedEventParameter");
            if (KeywordTable.Lookup(paramWord) == Keyword.Stream && Peek() == (byte)'=')
            {
                ExpectEqual();
                stream = ReadUInt16("StreamID");
            }
            else
            {
                parms.Add(ParseParmValue(ToPkgdName(paramWord, paramStart)));
            }
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new ObservedEvent(name, timestamp, stream, parms.ToValueList());
    }

    /// <summary>eventBufferDescriptor = EventBufferToken [LBRKT eventSpec *(COMMA eventSpec) RBRKT].</summary>
    private EventBufferDescriptor ParseEventBufferDescriptor()
    {
        var events = new ListBuilder<ObservedEvent>();
        if (TryOpenBrace())
        {
            if (Peek() != (byte)'}')
            {
                do
                {
                    CheckCount(events.Count, "eventSpec");
                    events.Add(ParseObservedEvent(eventSpec: true));
                }
                while (TryChar((byte)','));
            }
            CloseBrace();
        }
        return new EventBufferDescriptor(events.ToValueList());
    }
}
