using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Reader;

/// <summary>
/// H.248.1 Annex B.2 command rules: commandRequest (ammRequest, subtractRequest, auditRequest,
/// notifyRequest, serviceChangeRequest), commandReply, termination ids and the ServiceChange
/// descriptors.
/// </summary>
internal ref partial struct TextParser
{
    private Command ParseCommandRequest(Keyword keyword, int start)
    {
        switch (keyword)
        {
            case Keyword.Add:
            case Keyword.Move:
            case Keyword.Modify:
            {
                // ammRequest = (AddToken / MoveToken / ModifyToken) EQUAL termIDList
                //   [LBRKT ammParameter *(COMMA ammParameter) RBRKT]
                ExpectEqual();
                var ids = ParseTermIdList();
                var descriptors = new ListBuilder<Descriptor>();
                if (TryOpenBrace())
                {
                    do
                    {
                        CheckCount(descriptors.Count, "ammParameter");
                        descriptors.Add(ParseAmmParameter());
                    }
                    while (TryChar((byte)','));
                    CloseBrace();
                }
                var kind = keyword switch
                {
                    Keyword.Add => AmmKind.Add,
                    Keyword.Move => AmmKind.Move,
                    _ => AmmKind.Modify,
                };
                return new AmmRequest(kind, ids, descriptors.ToValueList());
            }
            case Keyword.Subtract:
            {
                // subtractRequest = SubtractToken EQUAL termIDList [LBRKT auditDescriptor RBRKT]
                ExpectEqual();
                var ids = ParseTermIdList();
                return new SubtractRequest(ids, ParseOptionalAuditDescriptor());
            }
            case Keyword.AuditValue:
            case Keyword.AuditCapability:
            {
                // auditRequest = (AuditValueToken / AuditCapToken) EQUAL termIDList [LBRKT auditDescriptor RBRKT]
                ExpectEqual();
                var ids = ParseTermIdList();
                var kind = keyword == Keyword.AuditValue ? AuditKind.Value : AuditKind.Capabilities;
                return new AuditRequest(kind, ids, ParseOptionalAuditDescriptor());
            }
            case Keyword.Notify:
            {
                // notifyRequest = NotifyToken EQUAL termIDList LBRKT (observedEventsDescriptor [COMMA errorDescriptor])
                //   / errorDescriptor RBRKT
                ExpectEqual();
                var ids = ParseTermIdList();
                OpenBrace();
                ObservedEventsDescriptor? observed = null;
                ErrorDescriptor? error = null;
                if (PeekKeyword() == Keyword.Error)
                {
                    error = ParseErrorDescriptor();
                }
                else
                {
                    observed = ParseObservedEventsDescriptor();
                    if (TryChar((byte)','))
                    {
                        error = ParseErrorDescriptor();
                    }
                }
                CloseBrace();
                return new NotifyRequest(ids, observed, error);
            }
            case Keyword.ServiceChange:
            {
                // serviceChangeRequest = ServiceChangeToken EQUAL termIDList LBRKT serviceChangeDescriptor RBRKT
                ExpectEqual();
                var ids = ParseTermIdList();
                OpenBrace();
                var parms = ParseServiceChangeDescriptor();
                CloseBrace();
                return new ServiceChangeRequest(ids, parms);
            }
            default:
                FailAt(start, "commandRequest", "expected a command (Add, Move, Modify, Subtract, AuditValue, AuditCapability, Notify, ServiceChange)");
                return null!;
        }
    }

    private AuditDescriptor? ParseOptionalAuditDescriptor()
    {
        if (!TryOpenBrace())
        {
            return null;
        }
        var start = SkipAndMark();
        if (ReadKeyword("auditDescriptor") != Keyword.Audit)
        {
            FailAt(start, "AuditToken", "expected an Audit descriptor");
        }
        var audit = ParseAuditDescriptorBody();
        CloseBrace();
        return audit;
    }

    private CommandReply ParseCommandReply(Keyword keyword, int start)
    {
        switch (keyword)
        {
            case Keyword.Add:
            case Keyword.Move:
            case Keyword.Modify:
            case Keyword.Subtract:
            {
                // ammsReply = (AddToken / MoveToken / ModifyToken / SubtractToken) EQUAL termIDList
                //   [LBRKT terminationAudit RBRKT]
                ExpectEqual();
                var ids = ParseTermIdList();
                var kind = keyword switch
                {
                    Keyword.Add => AmmsKind.Add,
                    Keyword.Move => AmmsKind.Move,
                    Keyword.Modify => AmmsKind.Modify,
                    _ => AmmsKind.Subtract,
                };
                return new AmmsReply(kind, ids, ParseOptionalTerminationAudit());
            }
            case Keyword.AuditValue:
            case Keyword.AuditCapability:
            {
                // auditReply = (AuditValueToken / AuditCapToken) (contextTerminationAudit / auditOther);
                // contextTerminationAudit = EQUAL CtxToken (terminationIDList / LBRKT errorDescriptor RBRKT);
                // auditOther = EQUAL termIDList [LBRKT terminationAudit RBRKT]
                ExpectEqual();
                var kind = keyword == Keyword.AuditValue ? AuditKind.Value : AuditKind.Capabilities;
                if (PeekKeyword() == Keyword.Context)
                {
                    ReadWordOrEmpty();
                    OpenBrace();
                    if (PeekKeyword() == Keyword.Error)
                    {
                        var error = ParseErrorDescriptor();
                        CloseBrace();
                        return new AuditReply(kind, ValueList<TerminationId>.Empty, null, true, error);
                    }
                    var list = new ListBuilder<TerminationId>();
                    do
                    {
                        CheckCount(list.Count, "terminationIDList");
                        list.Add(ParseTerminationId());
                    }
                    while (TryChar((byte)','));
                    CloseBrace();
                    return new AuditReply(kind, list.ToValueList(), null, true);
                }
                var ids = ParseTermIdList();
                return new AuditReply(kind, ids, ParseOptionalTerminationAudit());
            }
            case Keyword.Notify:
            {
                // notifyReply = NotifyToken EQUAL termIDList [LBRKT errorDescriptor RBRKT]
                ExpectEqual();
                var ids = ParseTermIdList();
                ErrorDescriptor? error = null;
                if (TryOpenBrace())
                {
                    error = ParseErrorDescriptor();
                    CloseBrace();
                }
                return new NotifyReply(ids, error);
            }
            case Keyword.ServiceChange:
            {
                // serviceChangeReply = ServiceChangeToken EQUAL termIDList
                //   [LBRKT (errorDescriptor / serviceChangeReplyDescriptor) RBRKT]
                ExpectEqual();
                var ids = ParseTermIdList();
                if (!TryOpenBrace())
                {
                    return new ServiceChangeReply(ids);
                }
                ServiceChangeReply reply;
                if (PeekKeyword() == Keyword.Error)
                {
                    reply = new ServiceChangeReply(ids, null, ParseErrorDescriptor());
                }
                else
                {
                    reply = new ServiceChangeReply(ids, ParseServiceChangeReplyDescriptor());
                }
                CloseBrace();
                return reply;
            }
            default:
                FailAt(start, "commandReply", "expected a command reply");
                return null!;
        }
    }

    private ValueList<Descriptor>? ParseOptionalTerminationAudit()
    {
        if (!TryOpenBrace())
        {
            return null;
        }
        // terminationAudit = auditReturnParameter *(COMMA auditReturnParameter): never empty.
        var audit = new ListBuilder<Descriptor>();
        do
        {
            CheckCount(audit.Count, "auditReturnParameter");
            audit.Add(ParseAuditReturnParameter());
        }
        while (TryChar((byte)','));
        CloseBrace();
        return audit.ToValueList();
    }

    /// <summary>termIDList = (TerminationID / LSBRKT TerminationID *(COMMA TerminationID) RSBRKT) (the list form is v3).</summary>
    private ValueList<TerminationId> ParseTermIdList()
    {
        var listStart = SkipAndMark();
        if (!TryChar((byte)'['))
        {
            return ValueList<TerminationId>.Own(ParseSingleTerminationId());
        }
        Require(H248Features.TerminationIdList, listStart, "termIDList", "a list of termination ids");
        var ids = new ListBuilder<TerminationId>();
        do
        {
            CheckCount(ids.Count, "termIDList");
            ids.Add(ParseTerminationId());
        }
        while (TryChar((byte)','));
        Expect((byte)']', "RSBRKT");
        return ids.ToValueList();
    }

    /// <summary>TerminationID = "ROOT" / pathNAME / "$" / "*"; pathNAME = ["*"] NAME *("/" / "*" / ALPHA / DIGIT / "_" / "$") ["@" pathDomainName].</summary>
    private TerminationId ParseTerminationId() => ParseSingleTerminationId()[0];

    /// <summary>A termination id as a one-element array, cached by its text, which a list of one can share.</summary>
    private TerminationId[] ParseSingleTerminationId()
    {
        var start = SkipAndMark();
        var word = ReadWord("TerminationID");
        // Annex B.2 pathNAME: "total length of pathNAME must not exceed 64 chars".
        if (word.Length > 64)
        {
            FailAt(start, "TerminationID", "termination id longer than 64 characters");
        }
        return _caches.TerminationIds.GetOrAdd(word, static w =>
        [
            w switch
            {
                [(byte)'$'] => TerminationId.Choose,
                [(byte)'*'] => TerminationId.All,
                _ when System.Text.Ascii.EqualsIgnoreCase(w, "ROOT"u8) => TerminationId.Root,
                _ => new TerminationId(Ascii(w)),
            },
        ]);
    }

    /// <summary>
    /// serviceChangeDescriptor = ServicesToken LBRKT serviceChangeParm *(COMMA serviceChangeParm) RBRKT;
    /// serviceChangeParm = serviceChangeMethod / serviceChangeReason / serviceChangeDelay / serviceChangeAddress
    ///   / serviceChangeProfile / extension / TimeStamp / serviceChangeMgcId / serviceChangeVersion
    ///   / ServiceChangeIncompleteToken (v3) / auditItem (v2 serviceChangeInfo).
    /// </summary>
    private ServiceChangeParm ParseServiceChangeDescriptor()
    {
        var servicesStart = SkipAndMark();
        if (ReadKeyword("serviceChangeDescriptor") != Keyword.Services)
        {
            Fail("ServicesToken", "expected Services");
        }
        OpenBrace();
        ServiceChangeMethod? method = null;
        string? methodExtension = null, reason = null;
        uint? delay = null;
        var common = new ServiceChangeCommon();
        var extensions = new ListBuilder<PropertyParm>();
        var info = new AuditBuilder();
        var incomplete = false;
        var count = 0;
        var seen = new ServiceChangeItems();
        do
        {
            CheckCount(count++, "serviceChangeParm");
            var start = SkipAndMark();
            var word = ReadWord("serviceChangeParm");
            var keyword = KeywordTable.Lookup(word);
            seen.Check(keyword, start, this);
            if (TryParseCommonServiceChangeItem(keyword, word, ref common))
            {
                continue;
            }
            switch (keyword)
            {
                case Keyword.Method:
                    ExpectEqual();
                    (method, methodExtension) = ParseServiceChangeMethod();
                    break;
                case Keyword.Reason:
                    // serviceChangeReason = ReasonToken EQUAL VALUE
                    ExpectEqual();
                    reason = ReadValue("serviceChangeReason");
                    break;
                case Keyword.Delay:
                    ExpectEqual();
                    delay = ReadUInt32("serviceChangeDelay");
                    break;
                case Keyword.ServiceChangeIncomplete:
                    Require(H248Features.ServiceChangeIncomplete, start, "serviceChangeParm", "ServiceChangeInc");
                    incomplete = true;
                    break;
                default:
                    if (IsExtensionName(word))
                    {
                        // extension = extensionParameter parmValue; extensionParameter = "X" ("-" / "+") 1*6(ALPHA / DIGIT)
                        extensions.Add(ParseParmValue(new PkgdName(string.Empty, Ascii(word))));
                    }
                    else
                    {
                        Require(H248Features.ServiceChangeAuditItems, start, "serviceChangeParm", "an audit item in ServiceChange");
                        Seek(start);
                        ParseAuditItem(ref info);
                    }
                    break;
            }
        }
        while (TryChar((byte)','));
        CloseBrace();
        // H.248.1 Annex A ServiceChangeParm: serviceChangeMethod and serviceChangeReason are not OPTIONAL.
        if (method is null)
        {
            FailAt(servicesStart, "serviceChangeMethod", "ServiceChange needs a Method");
        }
        if (reason is null)
        {
            FailAt(servicesStart, "serviceChangeReason", "ServiceChange needs a Reason");
        }
        CheckAddressOrMgcId(common.Address, common.MgcId, servicesStart);
        return new ServiceChangeParm(method!.Value, reason, delay, common.Address, common.Profile, common.Version, common.MgcId,
            common.Timestamp, extensions.ToValueList(), info.BuildOrNull(), incomplete, methodExtension);
    }

    private static bool IsExtensionName(ReadOnlySpan<byte> word) =>
        word.Length >= 3 && (word[0] | 0x20) == 'x' && word[1] is (byte)'-' or (byte)'+';

    /// <summary>serviceChangeMethod = MethodToken EQUAL (FailoverToken / ForcedToken / GracefulToken / RestartToken / DisconnectedToken / HandOffToken / extensionParameter).</summary>
    private (ServiceChangeMethod, string?) ParseServiceChangeMethod()
    {
        var start = SkipAndMark();
        var word = ReadWord("serviceChangeMethod");
        switch (KeywordTable.Lookup(word))
        {
            case Keyword.Failover:
                return (ServiceChangeMethod.Failover, null);
            case Keyword.Forced:
                return (ServiceChangeMethod.Forced, null);
            case Keyword.Graceful:
                return (ServiceChangeMethod.Graceful, null);
            case Keyword.Restart:
                return (ServiceChangeMethod.Restart, null);
            case Keyword.Disconnected:
                return (ServiceChangeMethod.Disconnected, null);
            case Keyword.HandOff:
                return (ServiceChangeMethod.HandOff, null);
        }
        if (!IsExtensionName(word))
        {
            FailAt(start, "serviceChangeMethod", "unknown ServiceChange method");
        }
        return (ServiceChangeMethod.Extension, Ascii(word));
    }

    /// <summary>serviceChangeAddress = ServiceChangeAddressToken EQUAL (mId / portNumber).</summary>
    private ServiceChangeAddress ParseServiceChangeAddress()
    {
        var start = SkipAndMark();
        var b = Peek();
        if (b is >= (byte)'0' and <= (byte)'9')
        {
            var word = ReadWord("portNumber");
            if (AllDigits(word))
            {
                return new ServiceChangeAddress(Port: (ushort)ParseUnsigned(word, start, "portNumber", ushort.MaxValue, "portNumber"));
            }
            Seek(start);
        }
        return new ServiceChangeAddress(ParseMId());
    }

    private static bool AllDigits(ReadOnlySpan<byte> word)
    {
        foreach (var b in word)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>serviceChangeProfile = ProfileToken EQUAL NAME SLASH Version.</summary>
    private ServiceChangeProfile ParseProfile()
    {
        var start = SkipAndMark();
        var word = ReadWord("serviceChangeProfile");
        var slash = word.LastIndexOf((byte)'/');
        if (slash <= 0)
        {
            return new ServiceChangeProfile(Ascii(word));
        }
        var version = (ushort)ParseUnsigned(word[(slash + 1)..], start + slash + 1, "Version", ushort.MaxValue, "Version");
        return new ServiceChangeProfile(Ascii(word[..slash]), version);
    }

    /// <summary>serviceChangeVersion = VersionToken EQUAL Version; Version = 1*2(DIGIT).</summary>
    private ushort ParseServiceChangeVersion()
    {
        var start = SkipAndMark();
        var word = ReadWord("Version");
        if (word.Length > 2)
        {
            FailAt(start, "Version", "version has at most 2 digits");
        }
        return (ushort)ParseUnsigned(word, start, "Version", 99, "Version");
    }

    /// <summary>TimeStamp = Date "T" Time; Date = 8(DIGIT); Time = 8(DIGIT).</summary>
    private static bool TryTimeStamp(ReadOnlySpan<byte> word, out TimeNotation? timestamp)
    {
        timestamp = null;
        if (word.Length != 17 || (word[8] | 0x20) != 't' || !AllDigits(word[..8]) || !AllDigits(word[9..]))
        {
            return false;
        }
        timestamp = new TimeNotation(Ascii(word[..8]), Ascii(word[9..]));
        return true;
    }

    /// <summary>
    /// serviceChangeReplyDescriptor = ServicesToken LBRKT servChgReplyParm *(COMMA servChgReplyParm) RBRKT;
    /// servChgReplyParm = serviceChangeAddress / serviceChangeMgcId / serviceChangeProfile / serviceChangeVersion / TimeStamp.
    /// </summary>
    private ServiceChangeResParm ParseServiceChangeReplyDescriptor()
    {
        var servicesStart = SkipAndMark();
        if (ReadKeyword("serviceChangeReplyDescriptor") != Keyword.Services)
        {
            Fail("ServicesToken", "expected Services");
        }
        OpenBrace();
        var common = new ServiceChangeCommon();
        var count = 0;
        var seen = new ServiceChangeItems();
        do
        {
            CheckCount(count++, "servChgReplyParm");
            var start = SkipAndMark();
            var word = ReadWord("servChgReplyParm");
            var keyword = KeywordTable.Lookup(word);
            seen.Check(keyword, start, this);
            if (!TryParseCommonServiceChangeItem(keyword, word, ref common))
            {
                FailAt(start, "servChgReplyParm", "unexpected item in a ServiceChange reply");
            }
        }
        while (TryChar((byte)','));
        CloseBrace();
        CheckAddressOrMgcId(common.Address, common.MgcId, servicesStart);
        return new ServiceChangeResParm(common.Address, common.MgcId, common.Profile, common.Version, common.Timestamp);
    }

    /// <summary>
    /// The items a ServiceChange request and its reply share: serviceChangeAddress, serviceChangeMgcId,
    /// serviceChangeProfile, serviceChangeVersion and TimeStamp.
    /// </summary>
    private bool TryParseCommonServiceChangeItem(Keyword keyword, ReadOnlySpan<byte> word, ref ServiceChangeCommon common)
    {
        switch (keyword)
        {
            case Keyword.ServiceChangeAddress:
                ExpectEqual();
                common.Address = ParseServiceChangeAddress();
                return true;
            case Keyword.MgcIdToTry:
                ExpectEqual();
                common.MgcId = ParseMId();
                return true;
            case Keyword.Profile:
                ExpectEqual();
                common.Profile = ParseProfile();
                return true;
            case Keyword.Version:
                ExpectEqual();
                common.Version = ParseServiceChangeVersion();
                return true;
            case Keyword.None when TryTimeStamp(word, out var timestamp):
                common.Timestamp = timestamp;
                return true;
            default:
                return false;
        }
    }

    private struct ServiceChangeCommon
    {
        public ServiceChangeAddress? Address;
        public MId? MgcId;
        public ServiceChangeProfile? Profile;
        public ushort? Version;
        public TimeNotation? Timestamp;
    }

    /// <summary>H.248.1 §7.2.8: ServiceChangeAddress and ServiceChangeMgcId shall not both be present.</summary>
    private readonly void CheckAddressOrMgcId(ServiceChangeAddress? address, MId? mgcId, int start)
    {
        if (address is not null && mgcId is not null)
        {
            FailAt(start, "serviceChangeDescriptor", "ServiceChangeAddress and MgcIdToTry cannot both be present");
        }
    }

    /// <summary>Each ServiceChange parameter may appear once (H.248.1 Annex A ServiceChangeParm is a SEQUENCE).</summary>
    private struct ServiceChangeItems
    {
        private ulong _seen;

        public void Check(Keyword keyword, int start, in TextParser parser)
        {
            if (keyword == Keyword.None)
            {
                return;
            }
            var bit = 1UL << ((int)keyword & 63);
            if ((_seen & bit) != 0)
            {
                parser.FailAt(start, "serviceChangeParm", $"{KeywordTable.Long(keyword)} appears twice");
            }
            _seen |= bit;
        }
    }
}
