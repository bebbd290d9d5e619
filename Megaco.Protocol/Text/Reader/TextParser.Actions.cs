using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// H.248.1 Annex B.2 action rules: actionRequest and actionReply, context ids, context properties
/// (topology, priority, emergency, IEPS, v3 ContextAttr) and the context audit request.
/// </summary>
internal ref partial struct TextParser
{
    /// <summary>ContextID = (UINT32 / "*" / "-" / "$").</summary>
    private ContextId ParseContextId()
    {
        var start = SkipAndMark();
        uint value;
        if (start < _text.Length && (uint)(_text[start] - '0') <= 9)
        {
            value = (uint)ReadUnsigned("ContextID", uint.MaxValue, "UINT32");
        }
        else
        {
            var word = ReadWord("ContextID");
            if (word.Length == 1)
            {
                switch (word[0])
                {
                    case (byte)'-':
                        return ContextId.Null;
                    case (byte)'$':
                        return ContextId.Choose;
                    case (byte)'*':
                        return ContextId.All;
                }
            }
            value = (uint)ParseUnsigned(word, start, "ContextID", uint.MaxValue, "UINT32");
        }
        // 0, 0xFFFFFFFE and 0xFFFFFFFF are reserved for NULL, CHOOSE and ALL (H.248.1 Annex A ContextID).
        if (value is 0 or >= 0xFFFFFFFE)
        {
            FailAt(start, "ContextID", "reserved context id written as a number");
        }
        return new ContextId(value);
    }

    /// <summary>
    /// actionRequest = CtxToken EQUAL ContextID LBRKT (( contextRequest [COMMA commandRequestList])
    ///   / commandRequestList) RBRKT; items may come in any order (Erlang/OTP megaco merges them too).
    /// </summary>
    private ActionRequest ParseActionRequest()
    {
        if (ReadKeyword("actionRequest") != Keyword.Context)
        {
            Fail("CtxToken", "expected Context");
        }
        ExpectEqual();
        var contextId = ParseContextId();
        OpenBrace();
        var commands = new ListBuilder<CommandRequest>();
        var context = new ContextBuilder();
        ContextAttrAuditRequest? audit = null;
        do
        {
            var start = SkipAndMark();
            var word = ReadWord("actionRequestItem");
            var (keyword, optional, wildcard) = SplitCommandPrefixes(word);
            if (TryParseContextProperty(keyword, start, ref context))
            {
                continue;
            }
            if (keyword == Keyword.ContextAudit && !optional && !wildcard)
            {
                audit = ParseContextAudit();
                continue;
            }
            CheckCount(commands.Count, "commandRequest");
            commands.Add(new CommandRequest(ParseCommandRequest(keyword, start), optional, wildcard));
        }
        while (TryChar((byte)','));
        CloseBrace();
        return new ActionRequest(contextId, commands.ToValueList(), context.Build(), audit);
    }

    /// <summary>
    /// v2+ command prefixes: "O-" (optional) and "W-" (wildcarded response) in front of a command
    /// token, which the SafeChar rules make part of the same word (H.248.1 Annex B.2 commandRequest).
    /// </summary>
    private static (Keyword Keyword, bool Optional, bool Wildcard) SplitCommandPrefixes(ReadOnlySpan<byte> word)
    {
        bool optional = false, wildcard = false;
        while (word.Length > 2 && word[1] == (byte)'-')
        {
            var p = (byte)(word[0] | 0x20);
            if (p == (byte)'o' && !optional)
            {
                optional = true;
            }
            else if (p == (byte)'w' && !wildcard)
            {
                wildcard = true;
            }
            else
            {
                break;
            }
            word = word[2..];
        }
        return (KeywordTable.Lookup(word), optional, wildcard);
    }

    /// <summary>
    /// actionReply = CtxToken EQUAL ContextID [LBRKT (errorDescriptor / commandReplyList) RBRKT];
    /// commandReplyList = commandReply *(COMMA commandReply) [COMMA errorDescriptor] (v3: context
    /// properties may be mixed in).
    /// </summary>
    private ActionReply ParseActionReply()
    {
        if (ReadKeyword("actionReply") != Keyword.Context)
        {
            Fail("CtxToken", "expected Context");
        }
        ExpectEqual();
        var contextId = ParseContextId();
        if (!TryOpenBrace())
        {
            return new ActionReply(contextId, ValueList<CommandReply>.Empty);
        }
        var commands = new ListBuilder<CommandReply>();
        var context = new ContextBuilder();
        ErrorDescriptor? error = null;
        if (Peek() != (byte)'}')
        {
            do
            {
                if (error is not null)
                {
                    Fail("RBRKT", "nothing may follow the error descriptor of an action reply");
                }
                var start = SkipAndMark();
                var keyword = KeywordTable.Lookup(ReadWord("commandReply"));
                if (keyword == Keyword.Error)
                {
                    Seek(start);
                    error = ParseErrorDescriptor();
                    continue;
                }
                if (TryParseContextProperty(keyword, start, ref context))
                {
                    continue;
                }
                CheckCount(commands.Count, "commandReply");
                commands.Add(ParseCommandReply(keyword, start));
            }
            while (TryChar((byte)','));
        }
        CloseBrace();
        return new ActionReply(contextId, commands.ToValueList(), error, context.Build());
    }

    /// <summary>
    /// contextProperty = topologyDescriptor / priority / EmergencyToken / EmergencyOffToken / iepsValue
    ///   / contextAttrDescriptor (v3).
    /// </summary>
    private bool TryParseContextProperty(Keyword keyword, int start, ref ContextBuilder context)
    {
        switch (keyword)
        {
            case Keyword.Topology:
                context.Topology = ParseTopology();
                return true;
            case Keyword.Priority:
                // priority = PriorityToken EQUAL UINT16
                ExpectEqual();
                context.Priority = ReadUInt16("priority");
                return true;
            case Keyword.Emergency:
                context.Emergency = true;
                return true;
            case Keyword.EmergencyOff:
                Require(H248Features.EmergencyOff, start, "contextProperty", "EmergencyOff");
                context.Emergency = false;
                return true;
            case Keyword.IepsCall:
                // iepsValue = IEPSToken EQUAL ( ONToken / OFFToken )
                Require(H248Features.ContextAttributes, start, "contextProperty", "IEPSCall");
                ExpectEqual();
                context.Ieps = ParseOnOff("iepsValue");
                return true;
            case Keyword.ContextAttr:
                Require(H248Features.ContextAttributes, start, "contextProperty", "ContextAttr");
                ParseContextAttr(ref context.Properties, ref context.ContextList);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// v3 contextAttrDescriptor = ContextAttrToken LBRKT (propertyParm *(COMMA propertyParm)) /
    ///   (contextIdList) RBRKT; contextIdList = ContextListToken EQUAL LBRKT ContextID *(COMMA ContextID) RBRKT.
    /// </summary>
    private void ParseContextAttr(ref ValueList<PropertyParm> properties, ref ValueList<ContextId> contextList)
    {
        OpenBrace();
        if (PeekKeyword() == Keyword.ContextList)
        {
            ReadWordOrEmpty();
            ExpectEqual();
            OpenBrace();
            var ids = new ListBuilder<ContextId>();
            do
            {
                CheckCount(ids.Count, "contextIdList");
                ids.Add(ParseContextId());
            }
            while (TryChar((byte)','));
            CloseBrace();
            contextList = ids.ToValueList();
        }
        else
        {
            var props = new ListBuilder<PropertyParm>();
            do
            {
                CheckCount(props.Count, "propertyParm");
                props.Add(ParsePropertyParm());
            }
            while (TryChar((byte)','));
            properties = props.ToValueList();
        }
        CloseBrace();
    }

    /// <summary>
    /// topologyDescriptor = TopologyToken LBRKT topologyTriple *(COMMA topologyTriple) RBRKT;
    /// topologyTriple = terminationA COMMA terminationB COMMA topologyDirection [COMMA eventStream].
    /// </summary>
    private ValueList<TopologyTriple> ParseTopology()
    {
        OpenBrace();
        var triples = new ListBuilder<TopologyTriple>();
        do
        {
            CheckCount(triples.Count, "topologyTriple");
            var from = ParseTerminationId();
            Expect((byte)',', "COMMA");
            var to = ParseTerminationId();
            Expect((byte)',', "COMMA");
            var directionStart = SkipAndMark();
            var direction = ParseChoice("topologyDirection", TopologyDirections);
            if (direction is TopologyDirection.OnewayExternal or TopologyDirection.OnewayBoth)
            {
                Require(H248Features.TopologyExtendedDirections, directionStart, "topologyDirection", KeywordTable.Long(direction == TopologyDirection.OnewayBoth ? Keyword.OnewayBoth : Keyword.OnewayExternal));
            }
            ushort? stream = null;
            TopologyDirection? extension = null;
            while (true)
            {
                var save = Position;
                if (!TryChar((byte)','))
                {
                    break;
                }
                var keyword = PeekKeyword();
                if (keyword == Keyword.Stream && stream is null)
                {
                    Require(H248Features.TopologyStream, SkipAndMark(), "topologyTriple", "a stream in a topology triple");
                    stream = ParseEventStream();
                }
                else if (keyword is Keyword.OnewayExternal or Keyword.OnewayBoth && extension is null)
                {
                    Require(H248Features.TopologyExtendedDirections, SkipAndMark(), "topologyTriple", "a topology direction extension");
                    extension = ParseChoice("topologyDirection", TopologyDirections);
                }
                else
                {
                    Seek(save);
                    break;
                }
            }
            triples.Add(new TopologyTriple(from, to, direction, stream, extension));
        }
        while (TryChar((byte)','));
        CloseBrace();
        return triples.ToValueList();
    }

    /// <summary>eventStream = StreamToken EQUAL StreamID.</summary>
    private ushort ParseEventStream()
    {
        if (ReadKeyword("eventStream") != Keyword.Stream)
        {
            Fail("StreamToken", "expected Stream");
        }
        ExpectEqual();
        return ReadUInt16("StreamID");
    }

    /// <summary>
    /// contextAudit = ContextAuditToken LBRKT (contextAuditProperties *(COMMA contextAuditProperties))
    ///   / indAudcontextAttrDescriptor RBRKT, with v3 selection items (priority, emergencyValue,
    ///   iepsValue, auditSelectLogic, contextAttrDescriptor).
    /// </summary>
    private ContextAttrAuditRequest ParseContextAudit()
    {
        OpenBrace();
        var inContextAttr = false;
        if (PeekKeyword() == Keyword.ContextAttr)
        {
            var save = Position;
            ReadWordOrEmpty();
            if (TryOpenBrace())
            {
                // The v3 selection item contextAttrDescriptor also starts "ContextAttr {": it holds property
                // parameters with values (or a ContextList), where indAudcontextAttrDescriptor holds bare names.
                var inner = Position;
                var first = KeywordTable.Lookup(ReadWordOrEmpty());
                var isSelection = first == Keyword.ContextList
                    || (first == Keyword.None && Peek() is (byte)'=' or (byte)'#' or (byte)'>' or (byte)'<');
                if (isSelection)
                {
                    _depth--;
                    Seek(save);
                }
                else
                {
                    Seek(inner);
                    inContextAttr = true;
                }
            }
            else
            {
                Seek(save);
            }
        }
        bool topology = false, emergency = false, priority = false, ieps = false;
        ushort? selectPriority = null;
        bool? selectEmergency = null, selectIeps = null;
        AuditSelectLogic? logic = null;
        var props = new ListBuilder<PkgdName>();
        ValueList<PropertyParm> selectProps = default;
        ValueList<ContextId> ignoredList = default;
        do
        {
            var start = SkipAndMark();
            var word = ReadWord("contextAuditProperties");
            var item = KeywordTable.Lookup(word);
            // v1 and v2 audit only Topology, Emergency and Priority (contextAuditProperties); the rest is v3.
            if (inContextAttr || !(item is Keyword.Topology or Keyword.Emergency || (item == Keyword.Priority && Peek() != (byte)'=')))
            {
                Require(H248Features.ContextAttributes, start, "contextAuditProperties", "this context audit item");
            }
            switch (item)
            {
                case Keyword.Topology:
                    CheckAuditOnce(!topology, start, "Topology");
                    topology = true;
                    break;
                case Keyword.Emergency:
                    CheckAuditOnce(!emergency, start, "Emergency");
                    emergency = true;
                    break;
                case Keyword.Priority when Peek() == (byte)'=':
                    ExpectEqual();
                    selectPriority = ReadUInt16("priority");
                    break;
                case Keyword.Priority:
                    CheckAuditOnce(!priority, start, "Priority");
                    priority = true;
                    break;
                case Keyword.IepsCall when Peek() == (byte)'=':
                    ExpectEqual();
                    selectIeps = ParseOnOff("iepsValue");
                    break;
                case Keyword.IepsCall:
                    CheckAuditOnce(!ieps, start, "IEPSCall");
                    ieps = true;
                    break;
                case Keyword.EmergencyValue:
                    // emergencyValue = EmergencyValueToken EQUAL (EmergencyToken / EmergencyOffToken)
                    ExpectEqual();
                    selectEmergency = ParseChoice("emergencyValue", EmergencyValues);
                    break;
                case Keyword.AndAuditSelect:
                    logic = AuditSelectLogic.And;
                    break;
                case Keyword.OrAuditSelect:
                    logic = AuditSelectLogic.Or;
                    break;
                case Keyword.ContextAttr:
                    ParseContextAttr(ref selectProps, ref ignoredList);
                    break;
                default:
                    CheckCount(props.Count, "contextAuditProperties");
                    props.Add(ToPkgdName(word, start));
                    break;
            }
        }
        while (TryChar((byte)','));
        if (inContextAttr)
        {
            CloseBrace();
        }
        CloseBrace();
        return new ContextAttrAuditRequest(topology, emergency, priority, ieps, props.ToValueList(),
            selectPriority, selectEmergency, selectIeps, logic, selectProps, inContextAttr);
    }

    /// <summary>H.248.8 456: an item appears twice in one descriptor.</summary>
    private readonly void CheckAuditOnce(bool unset, int start, string what)
    {
        if (!unset)
        {
            FailAt(start, "contextAuditProperties", $"{what} appears twice in ContextAudit", Errors.H248ErrorCode.PropertyAppearsTwiceInThisDescriptor);
        }
    }

    /// <summary>Accumulates context properties in whatever order they are written.</summary>
    private struct ContextBuilder
    {
        public ValueList<TopologyTriple> Topology;
        public ushort? Priority;
        public bool? Emergency;
        public bool? Ieps;
        public ValueList<PropertyParm> Properties;
        public ValueList<ContextId> ContextList;

        public readonly ContextRequest? Build() =>
            Topology.IsEmpty && Priority is null && Emergency is null && Ieps is null && Properties.IsEmpty && ContextList.IsEmpty
                ? null
                : new ContextRequest(Topology, Priority, Emergency, Ieps, Properties, ContextList);
    }
}
