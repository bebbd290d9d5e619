using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Writers;

/// <summary>
/// Writes the typed model as H.248.1 Annex B text straight into an <see cref="IBufferWriter{T}"/>,
/// shared by all versions; what a version cannot express is refused through its
/// <see cref="H248VersionTextWriter"/>. Pretty style uses long tokens, <c> = </c>, one item per line and
/// tab indentation (as Erlang/OTP megaco does); compact style uses short tokens and no optional white space.
/// Write order inside each construct follows Erlang/OTP megaco's text encoders.
/// </summary>
internal sealed class H248TextWriter
{
    private static ReadOnlySpan<byte> PrettyEqual => " = "u8;
    private static ReadOnlySpan<byte> SdpLineEnd => "\r\n"u8;

    private readonly IBufferWriter<byte> _output;
    private readonly bool _pretty;
    private readonly H248VersionTextWriter _version;
    private int _depth;

    public H248TextWriter(IBufferWriter<byte> output, TextStyle style, H248VersionTextWriter version)
    {
        _output = output;
        _pretty = style == TextStyle.Pretty;
        _version = version;
    }

    // H.248.1 Annex B: megacoMessage = LWSP [authenticationHeader SEP] message
    public void WriteMessage(MegacoMessage message)
    {
        if (message.Authentication is { } auth)
        {
            WriteAuthenticationHeader(auth);
        }
        // H.248.1 Annex B: message = MegacopToken SLASH Version SEP mId SEP messageBody
        Keyword(Text.Keyword.Megaco);
        Byte((byte)'/');
        UInt((uint)_version.Version);
        Byte((byte)' ');
        WriteMId(message.MId);
        // A newline is a SEP in both styles and keeps the header on its own line.
        Byte((byte)'\n');

        // H.248.1 Annex B: messageBody = (errorDescriptor / transactionList)
        if (message.Error is { } error)
        {
            WriteError(error);
            return;
        }
        if (message.Transactions.IsEmpty)
        {
            throw new ArgumentException("A message needs an Error descriptor or at least one transaction.", nameof(message));
        }
        Transaction? previous = null;
        foreach (var transaction in message.Transactions)
        {
            // A segmentReply ends in a SafeChar run ("4/1/END" or "4/1/&"), which would run into the next
            // transaction's token, so a line break always follows it; pretty style breaks between all transactions.
            if (previous is not null && (_pretty || previous is SegmentReply))
            {
                Byte((byte)'\n');
            }
            previous = transaction;
            WriteTransaction(transaction);
        }
    }

    // H.248.1 Annex B: authenticationHeader = AuthToken EQUAL SecurityParmIndex COLON SequenceNum COLON AuthData
    private void WriteAuthenticationHeader(AuthenticationHeader auth)
    {
        if (auth.AuthData.Length == 0 || !IsHex(auth.AuthData))
        {
            throw new ArgumentException("AuthData must be hexadecimal digits.", "message");
        }
        Keyword(Text.Keyword.Authentication);
        Equal();
        Bytes("0x"u8);
        Hex8(auth.SecurityParameterIndex);
        Bytes(":0x"u8);
        Hex8(auth.SequenceNumber);
        Bytes(":0x"u8);
        Ascii(auth.AuthData);
        Byte((byte)'\n');
    }

    // H.248.1 Annex B: mId = (( domainAddress / domainName ) [":" portNumber]) / mtpAddress / deviceName
    private void WriteMId(MId mid)
    {
        switch (mid.Kind)
        {
            case MIdKind.IPv4:
            case MIdKind.IPv6:
                Byte((byte)'[');
                Name(mid.Address, "mId address");
                Byte((byte)']');
                break;
            case MIdKind.DomainName:
                Byte((byte)'<');
                Name(mid.Address, "mId domain name");
                Byte((byte)'>');
                break;
            case MIdKind.DeviceName:
                Name(mid.Address, "mId device name");
                break;
            case MIdKind.MtpAddress:
                // H.248.1 Annex B: mtpAddress = MTPToken LBRKT 4*8 (HEXDIG) RBRKT
                Keyword(Text.Keyword.Mtp);
                Byte((byte)'{');
                Name(mid.Address, "MTP address");
                Byte((byte)'}');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mid), mid.Kind, "Unknown mId kind.");
        }
        if (mid.Port is { } port)
        {
            if (mid.Kind is MIdKind.DeviceName or MIdKind.MtpAddress)
            {
                throw new ArgumentException("A device name or MTP address mId has no port.", nameof(mid));
            }
            Byte((byte)':');
            UInt(port);
        }
    }

    private void WriteTransaction(Transaction transaction)
    {
        switch (transaction)
        {
            case TransactionRequest request:
                WriteTransactionRequest(request);
                break;
            case TransactionReply reply:
                WriteTransactionReply(reply);
                break;
            case TransactionPending pending:
                // H.248.1 Annex B: transactionPending = PendingToken EQUAL TransactionID LBRKT RBRKT
                Keyword(Text.Keyword.Pending);
                Equal();
                UInt(pending.TransactionId);
                Bytes(_pretty ? " { }"u8 : "{}"u8);
                break;
            case TransactionResponseAck ack:
                WriteResponseAck(ack);
                break;
            case SegmentReply segment:
                // H.248.1 Annex B: segmentReply = MessageSegmentToken EQUAL TransactionID SLASH SegmentNumber [SLASH SegmentationCompleteToken]
                _version.Require(H248Features.Segmentation, "Segment reply");
                Keyword(Text.Keyword.Segment);
                Equal();
                UInt(segment.TransactionId);
                Byte((byte)'/');
                UInt(segment.SegmentNumber);
                if (segment.SegmentationComplete)
                {
                    Byte((byte)'/');
                    Keyword(Text.Keyword.SegmentationComplete);
                }
                break;
            default:
                throw new ArgumentException($"Unknown transaction type {transaction.GetType().Name}.", nameof(transaction));
        }
    }

    // H.248.1 Annex B: transactionRequest = TransToken EQUAL TransactionID LBRKT actionRequest *(COMMA actionRequest) RBRKT
    private void WriteTransactionRequest(TransactionRequest request)
    {
        if (request.Actions.IsEmpty)
        {
            throw new ArgumentException("A transaction request needs at least one action.", nameof(request));
        }
        Keyword(Text.Keyword.Transaction);
        Equal();
        UInt(request.TransactionId);
        Open();
        var first = true;
        foreach (var action in request.Actions)
        {
            Separator(ref first);
            WriteActionRequest(action);
        }
        Close();
    }

    // H.248.1 Annex B: transactionReply = ReplyToken EQUAL TransactionID [SLASH SegmentNumber [SLASH SegmentationCompleteToken]]
    //   LBRKT [ImmAckRequiredToken COMMA] (errorDescriptor / actionReplyList) RBRKT
    private void WriteTransactionReply(TransactionReply reply)
    {
        Keyword(Text.Keyword.Reply);
        Equal();
        UInt(reply.TransactionId);
        if (reply.SegmentNumber is { } segment)
        {
            _version.Require(H248Features.Segmentation, "Reply segment number");
            Byte((byte)'/');
            UInt(segment);
            if (reply.SegmentationComplete)
            {
                Byte((byte)'/');
                Keyword(Text.Keyword.SegmentationComplete);
            }
        }
        else if (reply.SegmentationComplete)
        {
            throw new ArgumentException("SegmentationComplete needs a segment number.", nameof(reply));
        }
        Open();
        if (reply.ImmAckRequired)
        {
            Keyword(Text.Keyword.ImmAckRequired);
            Comma();
        }
        if (reply.Error is { } error)
        {
            if (!reply.Actions.IsEmpty)
            {
                throw new ArgumentException("A transaction reply carries either an Error descriptor or action replies, not both.", nameof(reply));
            }
            WriteError(error);
        }
        else
        {
            if (reply.Actions.IsEmpty)
            {
                throw new ArgumentException("A transaction reply needs an Error descriptor or at least one action reply.", nameof(reply));
            }
            var first = true;
            foreach (var action in reply.Actions)
            {
                Separator(ref first);
                WriteActionReply(action);
            }
        }
        Close();
    }

    // H.248.1 Annex B: transactionResponseAck = ResponseAckToken LBRKT transactionAck *(COMMA transactionAck) RBRKT
    //   transactionAck = TransactionID / (TransactionID "-" TransactionID)
    private void WriteResponseAck(TransactionResponseAck ack)
    {
        if (ack.Acks.IsEmpty)
        {
            throw new ArgumentException("TransactionResponseAck needs at least one transaction id.", nameof(ack));
        }
        Keyword(Text.Keyword.TransactionResponseAck);
        Open();
        var first = true;
        foreach (var range in ack.Acks)
        {
            Separator(ref first);
            UInt(range.First);
            if (!range.IsSingle)
            {
                if (range.Last < range.First)
                {
                    throw new ArgumentException("A transaction ack range must not run backwards.", nameof(ack));
                }
                Byte((byte)'-');
                UInt(range.Last);
            }
        }
        Close();
    }

    // H.248.1 Annex B: actionRequest = CtxToken EQUAL ContextID LBRKT (( contextRequest [COMMA commandRequestList])
    //   / commandRequestList) RBRKT
    private void WriteActionRequest(ActionRequest action)
    {
        Keyword(Text.Keyword.Context);
        Equal();
        WriteContextId(action.ContextId);
        Open();
        var first = true;
        if (action.ContextRequest is { } request)
        {
            WriteContextProperties(request, ref first);
        }
        if (action.ContextAudit is { } audit)
        {
            Separator(ref first);
            WriteContextAudit(audit);
        }
        foreach (var command in action.Commands)
        {
            Separator(ref first);
            WriteCommandRequest(command);
        }
        if (first)
        {
            throw new ArgumentException("An action request needs a context property, a context audit or a command.", nameof(action));
        }
        Close();
    }

    // H.248.1 Annex B: actionReply = CtxToken EQUAL ContextID [LBRKT ( errorDescriptor / commandReply /
    //   (commandReply COMMA errorDescriptor)) RBRKT]; commandReply includes contextProperty
    private void WriteActionReply(ActionReply action)
    {
        Keyword(Text.Keyword.Context);
        Equal();
        WriteContextId(action.ContextId);
        var hasContext = action.ContextReply is { IsEmpty: false };
        if (action.Commands.IsEmpty && action.Error is null && !hasContext)
        {
            return;
        }
        Open();
        var first = true;
        if (hasContext)
        {
            WriteContextProperties(action.ContextReply!, ref first);
        }
        foreach (var command in action.Commands)
        {
            Separator(ref first);
            WriteCommandReply(command);
        }
        if (action.Error is { } error)
        {
            Separator(ref first);
            WriteError(error);
        }
        Close();
    }

    // H.248.1 Annex B: ContextID = (UINT32 / "*" / "-" / "$")
    private void WriteContextId(ContextId id)
    {
        if (id.IsNull)
        {
            Byte((byte)'-');
        }
        else if (id.IsChoose)
        {
            Byte((byte)'$');
        }
        else if (id.IsAll)
        {
            Byte((byte)'*');
        }
        else
        {
            UInt(id.Value);
        }
    }

    // H.248.1 Annex B: contextProperty = (topologyDescriptor / priority / EmergencyToken / EmergencyOffToken /
    //   iepsValue / contextAttrDescriptor)
    private void WriteContextProperties(ContextRequest request, ref bool first)
    {
        if (request.Priority is { } priority)
        {
            // H.248.1 Annex B: priority = PriorityToken EQUAL UINT16
            Separator(ref first);
            Keyword(Text.Keyword.Priority);
            Equal();
            UInt(priority);
        }
        if (request.Emergency is { } emergency)
        {
            Separator(ref first);
            if (emergency)
            {
                Keyword(Text.Keyword.Emergency);
            }
            else
            {
                _version.Require(H248Features.EmergencyOff, "EmergencyOff");
                if (_pretty && _version.Version == 2)
                {
                    // H.248.1 v2 Annex B spells the long token "EmergencyOffToken" (corrected to "EmergencyOff"
                    // in v3); v2 peers such as Erlang/OTP megaco only know that spelling.
                    Bytes("EmergencyOffToken"u8);
                }
                else
                {
                    Keyword(Text.Keyword.EmergencyOff);
                }
            }
        }
        if (!request.Topology.IsEmpty)
        {
            Separator(ref first);
            WriteTopology(request.Topology);
        }
        if (request.IepsCall is { } ieps)
        {
            // H.248.1 Annex B: iepsValue = IEPSToken EQUAL ("ON" / "OFF")
            _version.Require(H248Features.ContextAttributes, "IEPSCall");
            Separator(ref first);
            WriteIeps(ieps);
        }
        if (!request.ContextProperties.IsEmpty)
        {
            _version.Require(H248Features.ContextAttributes, "ContextAttr");
            Separator(ref first);
            WriteContextAttrProperties(request.ContextProperties);
        }
        if (!request.ContextList.IsEmpty)
        {
            // H.248.1 Annex B: contextAttrDescriptor = ContextAttrToken LBRKT (propertyParm *(COMMA propertyParm)) / contextIdList RBRKT
            //   contextIdList = ContextListToken EQUAL LBRKT ContextID *(COMMA ContextID) RBRKT
            _version.Require(H248Features.ContextAttributes, "ContextAttr ContextList");
            Separator(ref first);
            Keyword(Text.Keyword.ContextAttr);
            Open();
            Keyword(Text.Keyword.ContextList);
            EqualOpen();
            var firstId = true;
            foreach (var id in request.ContextList)
            {
                Separator(ref firstId);
                WriteContextId(id);
            }
            Close();
            Close();
        }
    }

    private void WriteContextAttrProperties(ValueList<PropertyParm> properties)
    {
        Keyword(Text.Keyword.ContextAttr);
        Open();
        var first = true;
        foreach (var property in properties)
        {
            Separator(ref first);
            WritePropertyParm(property);
        }
        Close();
    }

    private void WriteIeps(bool on)
    {
        Keyword(Text.Keyword.IepsCall);
        Equal();
        Keyword(on ? Text.Keyword.On : Text.Keyword.Off);
    }

    // H.248.1 Annex B: topologyDescriptor = TopologyToken LBRKT topologyTriple *(COMMA topologyTriple) RBRKT
    //   topologyTriple = terminationA COMMA terminationB COMMA topologyDirection [COMMA eventStream]
    private void WriteTopology(ValueList<TopologyTriple> triples)
    {
        Keyword(Text.Keyword.Topology);
        Open();
        var first = true;
        foreach (var triple in triples)
        {
            Separator(ref first);
            WriteTerminationId(triple.From);
            Comma();
            WriteTerminationId(triple.To);
            Comma();
            Keyword(triple.Direction switch
            {
                TopologyDirection.Bothway => Text.Keyword.Bothway,
                TopologyDirection.Isolate => Text.Keyword.Isolate,
                TopologyDirection.Oneway => Text.Keyword.Oneway,
                TopologyDirection.OnewayExternal => RequireKeyword(H248Features.TopologyExtendedDirections, "OnewayExternal", Text.Keyword.OnewayExternal),
                TopologyDirection.OnewayBoth => RequireKeyword(H248Features.TopologyExtendedDirections, "OnewayBoth", Text.Keyword.OnewayBoth),
                _ => throw new ArgumentOutOfRangeException(nameof(triples), triple.Direction, "Unknown topology direction."),
            });
            if (triple.StreamId is { } stream)
            {
                _version.Require(H248Features.TopologyStream, "Topology stream");
                Comma();
                WriteStreamParameter(stream);
            }
            if (triple.Extension is { } extension)
            {
                // H.248.1 v3 Annex A TopologyRequest.topologyDirectionExtension, written after the direction
                // as Erlang/OTP megaco does ("Oneway, OnewayBoth").
                Comma();
                Keyword(extension switch
                {
                    TopologyDirection.OnewayExternal => RequireKeyword(H248Features.TopologyExtendedDirections, "OnewayExternal", Text.Keyword.OnewayExternal),
                    TopologyDirection.OnewayBoth => RequireKeyword(H248Features.TopologyExtendedDirections, "OnewayBoth", Text.Keyword.OnewayBoth),
                    _ => throw new ArgumentException($"Topology direction extension must be OnewayExternal or OnewayBoth, not {extension}.", nameof(triples)),
                });
            }
        }
        Close();
    }

    // H.248.1 Annex B: contextAudit = ContextAuditToken LBRKT (contextAuditProperties *(COMMA contextAuditProperties))
    //   / indAudcontextAttrDescriptor RBRKT
    private void WriteContextAudit(ContextAttrAuditRequest audit)
    {
        Keyword(Text.Keyword.ContextAudit);
        Open();
        if (audit.InContextAttr)
        {
            // H.248.1 Annex B: indAudcontextAttrDescriptor = ContextAttrToken LBRKT contextAuditProperties *(COMMA ...) RBRKT
            _version.Require(H248Features.ContextAttributes, "ContextAudit ContextAttr");
            Keyword(Text.Keyword.ContextAttr);
            Open();
        }
        var first = true;
        // H.248.1 Annex B: contextAuditProperties = (TopologyToken / EmergencyToken / PriorityToken / IEPSToken /
        //   pkgdName / contextAuditSelect)
        if (audit.Topology)
        {
            Separator(ref first);
            Keyword(Text.Keyword.Topology);
        }
        if (audit.Emergency)
        {
            Separator(ref first);
            Keyword(Text.Keyword.Emergency);
        }
        if (audit.Priority)
        {
            Separator(ref first);
            Keyword(Text.Keyword.Priority);
        }
        if (audit.Ieps)
        {
            _version.Require(H248Features.ContextAttributes, "ContextAudit IEPSCall");
            Separator(ref first);
            Keyword(Text.Keyword.IepsCall);
        }
        foreach (var name in audit.Properties)
        {
            _version.Require(H248Features.ContextAttributes, "ContextAudit property");
            Separator(ref first);
            WritePkgdName(name);
        }
        // H.248.1 Annex B: contextAuditSelect = priority / emergencyValue / iepsValue / contextAttrDescriptor / auditSelectLogic
        if (audit.SelectPriority is { } priority)
        {
            _version.Require(H248Features.ContextAttributes, "ContextAudit priority selection");
            Separator(ref first);
            Keyword(Text.Keyword.Priority);
            Equal();
            UInt(priority);
        }
        if (audit.SelectEmergency is { } emergency)
        {
            // H.248.1 Annex B: emergencyValue = EmergencyValueToken EQUAL (EmergencyToken / EmergencyOffToken)
            _version.Require(H248Features.ContextAttributes, "ContextAudit emergency selection");
            Separator(ref first);
            Keyword(Text.Keyword.EmergencyValue);
            Equal();
            Keyword(emergency ? Text.Keyword.Emergency : Text.Keyword.EmergencyOff);
        }
        if (audit.SelectIeps is { } ieps)
        {
            _version.Require(H248Features.ContextAttributes, "ContextAudit IEPS selection");
            Separator(ref first);
            WriteIeps(ieps);
        }
        if (!audit.SelectProperties.IsEmpty)
        {
            _version.Require(H248Features.ContextAttributes, "ContextAudit ContextAttr selection");
            Separator(ref first);
            WriteContextAttrProperties(audit.SelectProperties);
        }
        if (audit.SelectLogic is { } logic)
        {
            // H.248.1 Annex B: auditSelectLogic = AndAUDITselectToken / OrAUDITselectToken
            _version.Require(H248Features.ContextAttributes, "ContextAudit select logic");
            Separator(ref first);
            Keyword(logic == AuditSelectLogic.And ? Text.Keyword.AndAuditSelect : Text.Keyword.OrAuditSelect);
        }
        if (first)
        {
            throw new ArgumentException("A ContextAudit needs at least one item.", nameof(audit));
        }
        if (audit.InContextAttr)
        {
            Close();
        }
        Close();
    }

    // H.248.1 Annex B: commandRequest = (["O-"] ["W-"] (ammRequest / subtractRequest / auditRequest / notifyRequest /
    //   serviceChangeRequest))
    private void WriteCommandRequest(CommandRequest request)
    {
        if (request.Optional)
        {
            _version.Require(H248Features.CommandPrefixes, "O- command prefix");
            Bytes("O-"u8);
        }
        if (request.WildcardReturn)
        {
            _version.Require(H248Features.CommandPrefixes, "W- command prefix");
            Bytes("W-"u8);
        }
        switch (request.Command)
        {
            case AmmRequest amm:
                // H.248.1 Annex B: ammRequest = (AddToken / MoveToken / ModifyToken) EQUAL termIDList
                //   [LBRKT ammParameter *(COMMA ammParameter) RBRKT]
                Keyword(amm.Kind switch
                {
                    AmmKind.Add => Text.Keyword.Add,
                    AmmKind.Move => Text.Keyword.Move,
                    AmmKind.Modify => Text.Keyword.Modify,
                    _ => throw new ArgumentOutOfRangeException(nameof(request), amm.Kind, "Unknown Add/Move/Modify kind."),
                });
                Equal();
                WriteTermIdList(amm.TerminationIds);
                if (!amm.Descriptors.IsEmpty)
                {
                    Open();
                    var first = true;
                    foreach (var descriptor in amm.Descriptors)
                    {
                        Separator(ref first);
                        WriteAmmParameter(descriptor);
                    }
                    Close();
                }
                break;
            case SubtractRequest subtract:
                // H.248.1 Annex B: subtractRequest = SubtractToken EQUAL termIDList [LBRKT auditDescriptor RBRKT]
                Keyword(Text.Keyword.Subtract);
                Equal();
                WriteTermIdList(subtract.TerminationIds);
                WriteOptionalAudit(subtract.Audit);
                break;
            case AuditRequest audit:
                // H.248.1 Annex B: auditRequest = (AuditValueToken / AuditCapToken) EQUAL termIDList [LBRKT auditDescriptor RBRKT]
                Keyword(audit.Kind == AuditKind.Value ? Text.Keyword.AuditValue : Text.Keyword.AuditCapability);
                Equal();
                WriteTermIdList(audit.TerminationIds);
                WriteOptionalAudit(audit.Audit);
                break;
            case NotifyRequest notify:
                // H.248.1 Annex B: notifyRequest = NotifyToken EQUAL termIDList LBRKT
                //   (observedEventsDescriptor [COMMA errorDescriptor]) / errorDescriptor RBRKT
                Keyword(Text.Keyword.Notify);
                Equal();
                WriteTermIdList(notify.TerminationIds);
                if (notify.ObservedEvents is null && notify.Error is null)
                {
                    throw new ArgumentException("A Notify request needs ObservedEvents or an Error descriptor.", nameof(request));
                }
                Open();
                if (notify.ObservedEvents is { } observed)
                {
                    WriteObservedEvents(observed);
                    if (notify.Error is not null)
                    {
                        Comma();
                    }
                }
                if (notify.Error is { } error)
                {
                    WriteError(error);
                }
                Close();
                break;
            case ServiceChangeRequest serviceChange:
                // H.248.1 Annex B: serviceChangeRequest = ServiceChangeToken EQUAL termIDList LBRKT serviceChangeDescriptor RBRKT
                Keyword(Text.Keyword.ServiceChange);
                Equal();
                WriteTermIdList(serviceChange.TerminationIds);
                Open();
                WriteServiceChangeParm(serviceChange.Parms);
                Close();
                break;
            default:
                throw new ArgumentException($"Unknown command type {request.Command.GetType().Name}.", nameof(request));
        }
    }

    private void WriteOptionalAudit(AuditDescriptor? audit)
    {
        if (audit is null)
        {
            return;
        }
        Open();
        WriteAuditDescriptor(audit);
        Close();
    }

    // H.248.1 Annex B: ammParameter = (mediaDescriptor / modemDescriptor / muxDescriptor / eventsDescriptor /
    //   signalsDescriptor / digitMapDescriptor / eventBufferDescriptor / auditDescriptor / statisticsDescriptor)
    private void WriteAmmParameter(Descriptor descriptor)
    {
        switch (descriptor)
        {
            case MediaDescriptor:
            case ModemDescriptor:
            case MuxDescriptor:
            case EventsDescriptor:
            case SignalsDescriptor:
            case DigitMapDescriptor:
            case EventBufferDescriptor:
            case AuditDescriptor:
                WriteDescriptor(descriptor);
                break;
            case StatisticsDescriptor:
                // v3 ammParameter added statisticsDescriptor (v1 and v2 carry statistics only in audits).
                _version.Require(H248Features.StreamStatistics, "Statistics in an Add/Move/Modify request");
                WriteDescriptor(descriptor);
                break;
            default:
                throw new ArgumentException($"{descriptor.GetType().Name} is not allowed in an Add/Move/Modify request.", nameof(descriptor));
        }
    }

    // H.248.1 Annex B: commandReply = (serviceChangeReply / auditReply / ammsReply / notifyReply)
    private void WriteCommandReply(CommandReply reply)
    {
        switch (reply)
        {
            case AmmsReply amms:
                // H.248.1 Annex B: ammsReply = (AddToken / MoveToken / ModifyToken / SubtractToken) EQUAL termIDList
                //   [LBRKT terminationAudit RBRKT]
                Keyword(amms.Kind switch
                {
                    AmmsKind.Add => Text.Keyword.Add,
                    AmmsKind.Move => Text.Keyword.Move,
                    AmmsKind.Modify => Text.Keyword.Modify,
                    AmmsKind.Subtract => Text.Keyword.Subtract,
                    _ => throw new ArgumentOutOfRangeException(nameof(reply), amms.Kind, "Unknown Add/Move/Modify/Subtract kind."),
                });
                Equal();
                WriteTermIdList(amms.TerminationIds);
                WriteOptionalTerminationAudit(amms.Audit);
                break;
            case AuditReply audit:
                WriteAuditReply(audit);
                break;
            case NotifyReply notify:
                // H.248.1 Annex B: notifyReply = NotifyToken EQUAL termIDList [LBRKT errorDescriptor RBRKT]
                Keyword(Text.Keyword.Notify);
                Equal();
                WriteTermIdList(notify.TerminationIds);
                if (notify.Error is { } notifyError)
                {
                    Open();
                    WriteError(notifyError);
                    Close();
                }
                break;
            case ServiceChangeReply serviceChange:
                // H.248.1 Annex B: serviceChangeReply = ServiceChangeToken EQUAL termIDList
                //   [LBRKT (errorDescriptor / serviceChangeReplyDescriptor) RBRKT]
                Keyword(Text.Keyword.ServiceChange);
                Equal();
                WriteTermIdList(serviceChange.TerminationIds);
                if (serviceChange.Error is { } scError)
                {
                    if (serviceChange.Result is { IsEmpty: false })
                    {
                        throw new ArgumentException("A ServiceChange reply carries either an Error descriptor or result parameters, not both.", nameof(reply));
                    }
                    Open();
                    WriteError(scError);
                    Close();
                }
                else if (serviceChange.Result is { IsEmpty: false } result)
                {
                    Open();
                    WriteServiceChangeResParm(result);
                    Close();
                }
                break;
            default:
                throw new ArgumentException($"Unknown command reply type {reply.GetType().Name}.", nameof(reply));
        }
    }

    // H.248.1 Annex B: auditReply = (AuditValueToken / AuditCapToken) (contextTerminationAudit / auditOther)
    //   contextTerminationAudit = EQUAL CtxToken (terminationIDList / LBRKT errorDescriptor RBRKT)
    //   auditOther = EQUAL termIDList [LBRKT terminationAudit RBRKT]
    private void WriteAuditReply(AuditReply audit)
    {
        Keyword(audit.Kind == AuditKind.Value ? Text.Keyword.AuditValue : Text.Keyword.AuditCapability);
        Equal();
        if (audit.ContextAuditError is { } error)
        {
            Keyword(Text.Keyword.Context);
            Open();
            WriteError(error);
            Close();
        }
        else if (audit.IsContextAuditResult)
        {
            Keyword(Text.Keyword.Context);
            WriteTerminationIdListInBraces(audit.TerminationIds);
        }
        else
        {
            WriteTermIdList(audit.TerminationIds);
            WriteOptionalTerminationAudit(audit.Audit);
        }
    }

    // H.248.1 Annex B: terminationAudit = auditReturnParameter *(COMMA auditReturnParameter); an empty one has no braces.
    private void WriteOptionalTerminationAudit(ValueList<Descriptor>? audit)
    {
        if (audit is not { IsEmpty: false } list)
        {
            return;
        }
        Open();
        var first = true;
        foreach (var descriptor in list)
        {
            if (descriptor is AuditReturnItemDescriptor item)
            {
                // H.248.1 Annex B: auditReturnItem = (MuxToken / ModemToken / MediaToken / DigitMapToken / StatsToken /
                //   ObservedEventsToken / PackagesToken)
                if (item.Item == AuditTokens.None)
                {
                    throw new ArgumentException("An audit return item needs a descriptor token.", nameof(audit));
                }
                WriteAuditTokens(item.Item, ref first);
                continue;
            }
            Separator(ref first);
            switch (descriptor)
            {
                case AuditDescriptor:
                    throw new ArgumentException("An Audit descriptor is not an auditReturnParameter.", nameof(audit));
                default:
                    WriteDescriptor(descriptor);
                    break;
            }
        }
        Close();
    }

    // H.248.1 Annex B: termIDList = (TerminationID / LSBRKT TerminationID 1*(COMMA TerminationID) RSBRKT)
    private void WriteTermIdList(ValueList<TerminationId> ids)
    {
        if (ids.IsEmpty)
        {
            throw new ArgumentException("A command needs at least one termination id.", nameof(ids));
        }
        if (ids.Count == 1)
        {
            WriteTerminationId(ids[0]);
            return;
        }
        _version.Require(H248Features.TerminationIdList, "A list of several termination ids");
        Byte((byte)'[');
        var first = true;
        foreach (var id in ids)
        {
            if (!first)
            {
                Bytes(_pretty ? ", "u8 : ","u8);
            }
            first = false;
            WriteTerminationId(id);
        }
        Byte((byte)']');
    }

    // H.248.1 Annex B: terminationIDList = LBRKT TerminationID *(COMMA TerminationID) RBRKT
    private void WriteTerminationIdListInBraces(ValueList<TerminationId> ids)
    {
        if (ids.IsEmpty)
        {
            throw new ArgumentException("A terminationIDList needs at least one termination id.", nameof(ids));
        }
        Open();
        var first = true;
        foreach (var id in ids)
        {
            Separator(ref first);
            WriteTerminationId(id);
        }
        Close();
    }

    // H.248.1 Annex B: TerminationID = "ROOT" / pathNAME / "$" / "*"
    private void WriteTerminationId(TerminationId id) => Name(id.Text, "Termination id");

    private void WriteDescriptor(Descriptor descriptor)
    {
        switch (descriptor)
        {
            case MediaDescriptor media:
                WriteMedia(media);
                break;
            case ModemDescriptor modem:
                WriteModem(modem);
                break;
            case MuxDescriptor mux:
                // H.248.1 Annex B: muxDescriptor = MuxToken EQUAL MuxType terminationIDList
                Keyword(Text.Keyword.Mux);
                Equal();
                Name(mux.MuxType, "Mux type");
                WriteTerminationIdListInBraces(mux.TerminationIds);
                break;
            case EventsDescriptor events:
                WriteEvents(events);
                break;
            case SignalsDescriptor signals:
                WriteSignals(signals);
                break;
            case DigitMapDescriptor digitMap:
                WriteDigitMap(digitMap);
                break;
            case EventBufferDescriptor eventBuffer:
                WriteEventBuffer(eventBuffer);
                break;
            case AuditDescriptor audit:
                WriteAuditDescriptor(audit);
                break;
            case StatisticsDescriptor statistics:
                WriteStatistics(statistics);
                break;
            case ObservedEventsDescriptor observed:
                WriteObservedEvents(observed);
                break;
            case PackagesDescriptor packages:
                WritePackages(packages);
                break;
            case ErrorDescriptor error:
                WriteError(error);
                break;
            case AuditReturnItemDescriptor item:
                var first = true;
                WriteAuditTokens(item.Item, ref first);
                break;
            default:
                throw new ArgumentException($"Unknown descriptor type {descriptor.GetType().Name}.", nameof(descriptor));
        }
    }

    // H.248.1 Annex B: mediaDescriptor = MediaToken LBRKT mediaParm *(COMMA mediaParm) RBRKT
    //   mediaParm = (streamParm / streamDescriptor / terminationStateDescriptor)
    private void WriteMedia(MediaDescriptor media)
    {
        if (media.Stream is not null && !media.Streams.IsEmpty)
        {
            throw new ArgumentException("A Media descriptor has either implied-stream parameters or Stream descriptors, not both.", nameof(media));
        }
        Keyword(Text.Keyword.Media);
        Open();
        var first = true;
        if (media.TerminationState is { } state)
        {
            Separator(ref first);
            WriteTerminationState(state);
        }
        if (media.Stream is { } parms)
        {
            WriteStreamParms(parms, ref first);
        }
        foreach (var stream in media.Streams)
        {
            // H.248.1 Annex B: streamDescriptor = StreamToken EQUAL StreamID LBRKT streamParm *(COMMA streamParm) RBRKT
            Separator(ref first);
            WriteStreamParameter(stream.StreamId);
            Open();
            var firstParm = true;
            WriteStreamParms(stream.Parms, ref firstParm);
            if (firstParm)
            {
                throw new ArgumentException("A Stream descriptor needs at least one parameter.", nameof(media));
            }
            Close();
        }
        if (first)
        {
            throw new ArgumentException("A Media descriptor needs at least one parameter.", nameof(media));
        }
        Close();
    }

    // H.248.1 Annex B: streamParm = (localDescriptor / remoteDescriptor / localControlDescriptor / statisticsDescriptor)
    private void WriteStreamParms(StreamParms parms, ref bool first)
    {
        if (parms.LocalControl is { } localControl)
        {
            Separator(ref first);
            WriteLocalControl(localControl);
        }
        if (parms.Local is { } local)
        {
            Separator(ref first);
            WriteSdp(Text.Keyword.Local, local);
        }
        if (parms.Remote is { } remote)
        {
            Separator(ref first);
            WriteSdp(Text.Keyword.Remote, remote);
        }
        if (parms.Statistics is { } statistics)
        {
            _version.Require(H248Features.StreamStatistics, "Statistics in a stream");
            Separator(ref first);
            WriteStatistics(statistics);
        }
    }

    // H.248.1 Annex B: localDescriptor = LocalToken LBRKT octetString RBRKT (and remoteDescriptor alike).
    // Each SDP line ends in CRLF (as SDP and Erlang do), so the closing brace is always the first
    // character of its line: Wireshark's dissector only finds the end of the SDP there.
    private void WriteSdp(Keyword keyword, LocalRemoteDescriptor sdp)
    {
        Keyword(keyword);
        Bytes(_pretty ? " {\n"u8 : "{\n"u8);
        foreach (var line in sdp.Lines)
        {
            WriteSdpLine(line.Text);
            Bytes(SdpLineEnd);
        }
        Byte((byte)'}');
    }

    // H.248.1 Annex B: octetString = *(nonEscapeChar); nonEscapeChar = ("\}" / %x01-7C / %x7E-FF)
    private void WriteSdpLine(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n' or '\0')
            {
                throw new ArgumentException("An SDP line must not contain a line break or NUL.", nameof(text));
            }
            if (c == '}')
            {
                Utf8(text.AsSpan(start, i - start));
                Bytes("\\}"u8);
                start = i + 1;
            }
        }
        Utf8(text.AsSpan(start));
    }

    // H.248.1 Annex B: localControlDescriptor = LocalControlToken LBRKT localParm *(COMMA localParm) RBRKT
    //   localParm = (streamMode / propertyParm / reservedValueMode / reservedGroupMode)
    private void WriteLocalControl(LocalControlDescriptor localControl)
    {
        Keyword(Text.Keyword.LocalControl);
        Open();
        var first = true;
        if (localControl.Mode is { } mode)
        {
            // H.248.1 Annex B: streamMode = ModeToken EQUAL streamModes
            Separator(ref first);
            Keyword(Text.Keyword.Mode);
            Equal();
            Keyword(StreamModeKeyword(mode));
        }
        if (localControl.ReserveGroup is { } group)
        {
            // H.248.1 Annex B: reservedGroupMode = ReservedGroupToken EQUAL ("ON" / "OFF")
            Separator(ref first);
            Keyword(Text.Keyword.ReservedGroup);
            Equal();
            Keyword(group ? Text.Keyword.On : Text.Keyword.Off);
        }
        if (localControl.ReserveValue is { } value)
        {
            // H.248.1 Annex B: reservedValueMode = ReservedValueToken EQUAL ("ON" / "OFF")
            Separator(ref first);
            Keyword(Text.Keyword.ReservedValue);
            Equal();
            Keyword(value ? Text.Keyword.On : Text.Keyword.Off);
        }
        foreach (var property in localControl.Properties)
        {
            Separator(ref first);
            WritePropertyParm(property);
        }
        if (first)
        {
            throw new ArgumentException("A LocalControl descriptor needs at least one parameter.", nameof(localControl));
        }
        Close();
    }

    private static Keyword StreamModeKeyword(StreamMode mode) => mode switch
    {
        StreamMode.SendOnly => Text.Keyword.SendOnly,
        StreamMode.ReceiveOnly => Text.Keyword.ReceiveOnly,
        StreamMode.SendReceive => Text.Keyword.SendReceive,
        StreamMode.Inactive => Text.Keyword.Inactive,
        StreamMode.Loopback => Text.Keyword.Loopback,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown stream mode."),
    };

    private static Keyword ServiceStateKeyword(ServiceState state) => state switch
    {
        ServiceState.Test => Text.Keyword.Test,
        ServiceState.OutOfService => Text.Keyword.OutOfService,
        ServiceState.InService => Text.Keyword.InService,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown service state."),
    };

    // H.248.1 Annex B: terminationStateDescriptor = TerminationStateToken LBRKT terminationStateParm
    //   *(COMMA terminationStateParm) RBRKT; terminationStateParm = (propertyParm / serviceStates / eventBufferControl)
    private void WriteTerminationState(TerminationStateDescriptor state)
    {
        Keyword(Text.Keyword.TerminationState);
        Open();
        var first = true;
        if (state.ServiceState is { } serviceState)
        {
            // H.248.1 Annex B: serviceStates = ServiceStatesToken EQUAL (TestToken / OutOfSvcToken / InSvcToken)
            Separator(ref first);
            Keyword(Text.Keyword.ServiceStates);
            Equal();
            Keyword(ServiceStateKeyword(serviceState));
        }
        if (state.BufferControl is { } buffer)
        {
            // H.248.1 Annex B: eventBufferControl = BufferToken EQUAL ("OFF" / LockStepToken)
            Separator(ref first);
            Keyword(Text.Keyword.Buffer);
            Equal();
            Keyword(buffer == EventBufferControl.Off ? Text.Keyword.Off : Text.Keyword.LockStep);
        }
        foreach (var property in state.Properties)
        {
            Separator(ref first);
            WritePropertyParm(property);
        }
        if (first)
        {
            throw new ArgumentException("A TerminationState descriptor needs at least one parameter.", nameof(state));
        }
        Close();
    }

    // H.248.1 Annex B (v1): modemDescriptor = ModemToken ((EQUAL modemType) / (LSBRKT modemType *(COMMA modemType) RSBRKT))
    //   [LBRKT propertyParm *(COMMA propertyParm) RBRKT]
    private void WriteModem(ModemDescriptor modem)
    {
        _version.Require(H248Features.Modem, "Modem descriptor");
        if (modem.ModemTypes.IsEmpty)
        {
            throw new ArgumentException("A Modem descriptor needs at least one modem type.", nameof(modem));
        }
        Keyword(Text.Keyword.Modem);
        if (modem.IsList || modem.ModemTypes.Count > 1)
        {
            Byte((byte)'[');
            var firstType = true;
            foreach (var type in modem.ModemTypes)
            {
                if (!firstType)
                {
                    Byte((byte)',');
                }
                firstType = false;
                Name(type, "Modem type");
            }
            Byte((byte)']');
        }
        else
        {
            Equal();
            Name(modem.ModemTypes[0], "Modem type");
        }
        if (!modem.Properties.IsEmpty)
        {
            Open();
            var first = true;
            foreach (var property in modem.Properties)
            {
                Separator(ref first);
                WritePropertyParm(property);
            }
            Close();
        }
    }

    // H.248.1 Annex B: eventsDescriptor = EventsToken [EQUAL RequestID LBRKT requestedEvent *(COMMA requestedEvent) RBRKT]
    private void WriteEvents(EventsDescriptor events)
    {
        Keyword(Text.Keyword.Events);
        if (events.RequestId is null)
        {
            if (!events.Events.IsEmpty)
            {
                throw new ArgumentException("An Events descriptor with events needs a request id.", nameof(events));
            }
            return;
        }
        if (events.Events.IsEmpty)
        {
            throw new ArgumentException("An Events descriptor with a request id needs at least one event.", nameof(events));
        }
        Equal();
        UInt(events.RequestId.Value);
        Open();
        var first = true;
        foreach (var requested in events.Events)
        {
            Separator(ref first);
            WriteRequestedEvent(requested, embedded: false);
        }
        Close();
    }

    // H.248.1 Annex B: requestedEvent = pkgdName [LBRKT eventParameter *(COMMA eventParameter) RBRKT]
    //   eventParameter = (embedWithSig / embedNoSig / KeepActiveToken / eventDM / eventStreamOrOther /
    //   notifyBehaviour / ResetEventsDescriptorToken); a second (embedded) event has no further Embed with events.
    private void WriteRequestedEvent(RequestedEvent requested, bool embedded)
    {
        WritePkgdName(requested.Name);
        var hasParameters = requested.StreamId is not null || requested.KeepActive || requested.EmbeddedSignals is not null
            || requested.EmbeddedEvents is not null || requested.DigitMap is not null || requested.NotifyBehaviour is not null
            || requested.ResetEventsDescriptor || !requested.Parameters.IsEmpty;
        if (!hasParameters)
        {
            return;
        }
        Open();
        var first = true;
        if (requested.StreamId is { } stream)
        {
            Separator(ref first);
            WriteStreamParameter(stream);
        }
        foreach (var parameter in requested.Parameters)
        {
            Separator(ref first);
            WritePropertyParm(parameter);
        }
        if (requested.KeepActive)
        {
            Separator(ref first);
            Keyword(Text.Keyword.KeepActive);
        }
        if (requested.DigitMap is { } digitMap)
        {
            // H.248.1 Annex B: eventDM = DigitMapToken EQUAL ((LBRKT digitMapValue RBRKT) / digitMapName)
            Separator(ref first);
            WriteDigitMap(digitMap);
        }
        if (requested.EmbeddedSignals is not null || requested.EmbeddedEvents is not null)
        {
            if (embedded && requested.EmbeddedEvents is not null)
            {
                throw new ArgumentException("An embedded (second) event cannot embed further events.", nameof(requested));
            }
            Separator(ref first);
            WriteEmbed(requested.EmbeddedSignals, requested.EmbeddedEvents);
        }
        if (requested.NotifyBehaviour is { } behaviour)
        {
            _version.Require(H248Features.NotifyBehaviour, "Notify behaviour");
            Separator(ref first);
            WriteNotifyBehaviour(behaviour);
        }
        if (requested.ResetEventsDescriptor)
        {
            _version.Require(H248Features.NotifyBehaviour, "ResetEventsDescriptor");
            Separator(ref first);
            Keyword(Text.Keyword.ResetEventsDescriptor);
        }
        Close();
    }

    // H.248.1 Annex B: embedWithSig = EmbedToken LBRKT signalsDescriptor [COMMA embedFirst] RBRKT
    //   embedNoSig = EmbedToken LBRKT embedFirst RBRKT
    //   embedFirst = EventsToken [EQUAL RequestID LBRKT secondRequestedEvent *(COMMA secondRequestedEvent) RBRKT]
    private void WriteEmbed(SignalsDescriptor? signals, EventsDescriptor? events)
    {
        Keyword(Text.Keyword.Embed);
        Open();
        if (signals is not null)
        {
            WriteSignals(signals);
            if (events is not null)
            {
                Comma();
            }
        }
        if (events is not null)
        {
            Keyword(Text.Keyword.Events);
            if (events.RequestId is { } requestId)
            {
                if (events.Events.IsEmpty)
                {
                    throw new ArgumentException("An embedded Events descriptor with a request id needs at least one event.", nameof(events));
                }
                Equal();
                UInt(requestId);
                Open();
                var first = true;
                foreach (var requested in events.Events)
                {
                    Separator(ref first);
                    WriteRequestedEvent(requested, embedded: true);
                }
                Close();
            }
            else if (!events.Events.IsEmpty)
            {
                throw new ArgumentException("An embedded Events descriptor with events needs a request id.", nameof(events));
            }
        }
        Close();
    }

    // H.248.1 Annex B: notifyBehaviour = NotifyImmediateToken / NotifyRegulatedToken [LBRKT (embedWithSig / embedNoSig) RBRKT] /
    //   NeverNotifyToken
    private void WriteNotifyBehaviour(NotifyBehaviour behaviour)
    {
        switch (behaviour.Kind)
        {
            case NotifyBehaviourKind.Immediate:
                Keyword(Text.Keyword.ImmediateNotify);
                break;
            case NotifyBehaviourKind.Never:
                Keyword(Text.Keyword.NeverNotify);
                break;
            case NotifyBehaviourKind.Regulated:
                Keyword(Text.Keyword.RegulatedNotify);
                if (behaviour.EmbeddedSignals is not null || behaviour.EmbeddedEvents is not null)
                {
                    Open();
                    WriteEmbed(behaviour.EmbeddedSignals, behaviour.EmbeddedEvents);
                    Close();
                }
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(behaviour), behaviour.Kind, "Unknown notify behaviour.");
        }
        if (behaviour.EmbeddedSignals is not null || behaviour.EmbeddedEvents is not null)
        {
            throw new ArgumentException("Only RegulatedNotify carries embedded descriptors.", nameof(behaviour));
        }
    }

    // H.248.1 Annex B: signalsDescriptor = SignalsToken [LBRKT signalParm *(COMMA signalParm) RBRKT]
    //   signalParm = signalList / signalRequest. An empty descriptor is the bare token (accepted by the grammar and Erlang).
    private void WriteSignals(SignalsDescriptor signals)
    {
        Keyword(Text.Keyword.Signals);
        if (signals.Signals.IsEmpty)
        {
            return;
        }
        Open();
        var first = true;
        foreach (var item in signals.Signals)
        {
            Separator(ref first);
            WriteSignalItem(item);
        }
        Close();
    }

    private void WriteSignalItem(SignalItem item)
    {
        switch (item)
        {
            case SignalRequest request:
                WriteSignalRequest(request);
                break;
            case SignalList list:
                // H.248.1 Annex B: signalList = SignalListToken EQUAL signalListId LBRKT signalListParm *(COMMA signalListParm) RBRKT
                if (list.Signals.IsEmpty)
                {
                    throw new ArgumentException("A SignalList needs at least one signal.", nameof(item));
                }
                Keyword(Text.Keyword.SignalList);
                Equal();
                UInt(list.Id);
                Open();
                var first = true;
                foreach (var signal in list.Signals)
                {
                    Separator(ref first);
                    WriteSignalRequest(signal);
                }
                Close();
                break;
            default:
                throw new ArgumentException($"Unknown signal item type {item.GetType().Name}.", nameof(item));
        }
    }

    // H.248.1 Annex B: signalRequest = signalName [LBRKT sigParameter *(COMMA sigParameter) RBRKT]
    //   sigParameter = sigStream / sigSignalType / sigDuration / sigOther / notifyCompletion / KeepActiveToken /
    //   direction / sigRequestID / sigIntsigDelay
    private void WriteSignalRequest(SignalRequest signal)
    {
        WritePkgdName(signal.Name);
        var hasParameters = signal.StreamId is not null || signal.Type is not null || signal.Duration is not null
            || signal.NotifyCompletion is not null || signal.KeepActive || signal.Direction is not null
            || signal.RequestId is not null || signal.IntersignalDelay is not null || !signal.Parameters.IsEmpty;
        if (!hasParameters)
        {
            return;
        }
        Open();
        var first = true;
        if (signal.StreamId is { } stream)
        {
            Separator(ref first);
            WriteStreamParameter(stream);
        }
        if (signal.Type is { } type)
        {
            // H.248.1 Annex B: sigSignalType = SignalTypeToken EQUAL signalType
            Separator(ref first);
            Keyword(Text.Keyword.SignalType);
            Equal();
            Keyword(type switch
            {
                SignalType.OnOff => Text.Keyword.OnOff,
                SignalType.TimeOut => Text.Keyword.TimeOut,
                SignalType.Brief => Text.Keyword.Brief,
                _ => throw new ArgumentOutOfRangeException(nameof(signal), type, "Unknown signal type."),
            });
        }
        if (signal.Duration is { } duration)
        {
            // H.248.1 Annex B: sigDuration = DurationToken EQUAL UINT16
            Separator(ref first);
            Keyword(Text.Keyword.Duration);
            Equal();
            UInt(duration);
        }
        if (signal.NotifyCompletion is { } reasons)
        {
            // H.248.1 Annex B: notifyCompletion = NotifyCompletionToken EQUAL (LBRKT notificationReason *(COMMA notificationReason) RBRKT)
            if (reasons.IsEmpty)
            {
                throw new ArgumentException("NotifyCompletion needs at least one reason.", nameof(signal));
            }
            Separator(ref first);
            Keyword(Text.Keyword.NotifyCompletion);
            EqualOpen();
            var firstReason = true;
            foreach (var reason in reasons)
            {
                Separator(ref firstReason);
                Keyword(reason switch
                {
                    NotifyCompletionReason.TimeOut => Text.Keyword.TimeOut,
                    NotifyCompletionReason.InterruptedByEvent => Text.Keyword.InterruptByEvent,
                    NotifyCompletionReason.InterruptedByNewSignalsDescriptor => Text.Keyword.InterruptBySignalsDescriptor,
                    NotifyCompletionReason.OtherReason => Text.Keyword.OtherReason,
                    NotifyCompletionReason.Iteration => RequireKeyword(H248Features.SignalV3Parameters, "NotifyCompletion Iteration", Text.Keyword.Iteration),
                    _ => throw new ArgumentOutOfRangeException(nameof(signal), reason, "Unknown notification reason."),
                });
            }
            Close();
        }
        if (signal.KeepActive)
        {
            Separator(ref first);
            Keyword(Text.Keyword.KeepActive);
        }
        foreach (var parameter in signal.Parameters)
        {
            // H.248.1 Annex B: sigOther = sigParameterName parmValue
            Separator(ref first);
            WritePropertyParm(parameter);
        }
        if (signal.Direction is { } direction)
        {
            // H.248.1 Annex B: direction = DirectionToken EQUAL (ExternalToken / InternalToken / BothToken)
            _version.Require(H248Features.SignalV3Parameters, "SPADirection");
            Separator(ref first);
            Keyword(Text.Keyword.Direction);
            Equal();
            Keyword(direction switch
            {
                SignalDirection.External => Text.Keyword.External,
                SignalDirection.Internal => Text.Keyword.Internal,
                SignalDirection.Both => Text.Keyword.Both,
                _ => throw new ArgumentOutOfRangeException(nameof(signal), direction, "Unknown signal direction."),
            });
        }
        if (signal.RequestId is { } requestId)
        {
            // H.248.1 Annex B: sigRequestID = RequestIDToken EQUAL RequestID
            _version.Require(H248Features.SignalV3Parameters, "SPARequestID");
            Separator(ref first);
            Keyword(Text.Keyword.RequestId);
            Equal();
            UInt(requestId);
        }
        if (signal.IntersignalDelay is { } delay)
        {
            // H.248.1 Annex B: sigIntsigDelay = IntsigDelayToken EQUAL UINT16
            _version.Require(H248Features.SignalV3Parameters, "Intersignal");
            Separator(ref first);
            Keyword(Text.Keyword.Intersignal);
            Equal();
            UInt(delay);
        }
        Close();
    }

    // H.248.1 Annex B: eventBufferDescriptor = EventBufferToken [LBRKT eventSpec *(COMMA eventSpec) RBRKT]
    //   eventSpec = EventName [LBRKT eventSpecParameter *(COMMA eventSpecParameter) RBRKT]
    private void WriteEventBuffer(EventBufferDescriptor eventBuffer)
    {
        Keyword(Text.Keyword.EventBuffer);
        if (eventBuffer.Events.IsEmpty)
        {
            return;
        }
        Open();
        var first = true;
        foreach (var spec in eventBuffer.Events)
        {
            if (spec.Timestamp is not null)
            {
                throw new ArgumentException("An EventBuffer eventSpec has no timestamp.", nameof(eventBuffer));
            }
            Separator(ref first);
            WriteObservedEvent(spec);
        }
        Close();
    }

    // H.248.1 Annex B: observedEventsDescriptor = ObservedEventsToken EQUAL RequestID LBRKT observedEvent *(COMMA observedEvent) RBRKT
    private void WriteObservedEvents(ObservedEventsDescriptor observed)
    {
        if (observed.Events.IsEmpty)
        {
            throw new ArgumentException("An ObservedEvents descriptor needs at least one event.", nameof(observed));
        }
        Keyword(Text.Keyword.ObservedEvents);
        Equal();
        UInt(observed.RequestId);
        Open();
        var first = true;
        foreach (var observedEvent in observed.Events)
        {
            Separator(ref first);
            WriteObservedEvent(observedEvent);
        }
        Close();
    }

    // H.248.1 Annex B: observedEvent = [TimeStamp LWSP COLON] LWSP pkgdName [LBRKT observedEventParameter
    //   *(COMMA observedEventParameter) RBRKT]; observedEventParameter = eventStream / eventOther
    private void WriteObservedEvent(ObservedEvent observedEvent)
    {
        if (observedEvent.Timestamp is { } timestamp)
        {
            WriteTimeStamp(timestamp);
            Byte((byte)':');
        }
        WritePkgdName(observedEvent.Name);
        if (observedEvent.StreamId is null && observedEvent.Parameters.IsEmpty)
        {
            return;
        }
        Open();
        var first = true;
        if (observedEvent.StreamId is { } stream)
        {
            Separator(ref first);
            WriteStreamParameter(stream);
        }
        foreach (var parameter in observedEvent.Parameters)
        {
            Separator(ref first);
            WritePropertyParm(parameter);
        }
        Close();
    }

    // H.248.1 Annex B: TimeStamp = Date "T" Time; Date = 8(DIGIT); Time = 8(DIGIT)
    private void WriteTimeStamp(TimeNotation timestamp)
    {
        if (timestamp.Date.Length != 8 || timestamp.Time.Length != 8 || !IsDigits(timestamp.Date) || !IsDigits(timestamp.Time))
        {
            throw new ArgumentException("A time stamp is 8 date digits and 8 time digits.", nameof(timestamp));
        }
        Ascii(timestamp.Date);
        Byte((byte)'T');
        Ascii(timestamp.Time);
    }

    // H.248.1 Annex B: eventStream = StreamToken EQUAL StreamID (also sigStream and the topology stream)
    private void WriteStreamParameter(ushort stream)
    {
        Keyword(Text.Keyword.Stream);
        Equal();
        UInt(stream);
    }

    // H.248.1 Annex B: digitMapDescriptor = DigitMapToken EQUAL ((LBRKT digitMapValue RBRKT) /
    //   (digitMapName [LBRKT digitMapValue RBRKT]))
    private void WriteDigitMap(DigitMapDescriptor digitMap)
    {
        if (digitMap.Name is null && digitMap.Value is null)
        {
            throw new ArgumentException("A DigitMap descriptor needs a name or a value.", nameof(digitMap));
        }
        Keyword(Text.Keyword.DigitMap);
        if (digitMap.Name is { } name)
        {
            Equal();
            Name(name, "Digit map name");
        }
        if (digitMap.Value is { } value)
        {
            if (digitMap.Name is null)
            {
                EqualOpen();
            }
            else
            {
                Open();
            }
            WriteDigitMapValue(value);
            Close();
        }
    }

    // H.248.1 Annex B: digitMapValue = ["T" COLON Timer COMMA] ["S" COLON Timer COMMA] ["L" COLON Timer COMMA]
    //   ["Z" COLON Timer COMMA] digitMap
    private void WriteDigitMapValue(DigitMapValue value)
    {
        if (value.Body.Length == 0)
        {
            throw new ArgumentException("A digit map value needs a body.", nameof(value));
        }
        WriteTimer((byte)'T', value.StartTimer);
        WriteTimer((byte)'S', value.ShortTimer);
        WriteTimer((byte)'L', value.LongTimer);
        if (value.DurationTimer is not null)
        {
            _version.Require(H248Features.DigitMapDurationTimer, "Digit map Z: timer");
        }
        WriteTimer((byte)'Z', value.DurationTimer);
        foreach (var c in value.Body)
        {
            if (c is '}' or '{' or '\r' or '\n' || c > '~')
            {
                throw new ArgumentException("A digit map body holds only digit map characters.", nameof(value));
            }
        }
        Ascii(value.Body);
    }

    // H.248.1 Annex B: Timer = 1*2DIGIT
    private void WriteTimer(byte letter, ushort? timer)
    {
        if (timer is not { } t)
        {
            return;
        }
        if (t > 99)
        {
            throw new ArgumentException("A digit map timer is at most two digits.", nameof(timer));
        }
        Byte(letter);
        Byte((byte)':');
        UInt(t);
        Comma();
    }

    // H.248.1 Annex B: statisticsDescriptor = StatsToken [LBRKT statisticsParameter *(COMMA statisticsParameter) RBRKT]
    //   statisticsParameter = pkgdName [EQUAL VALUE / (LSBRKT VALUE *(COMMA VALUE) RSBRKT)]
    private void WriteStatistics(StatisticsDescriptor statistics)
    {
        Keyword(Text.Keyword.Statistics);
        if (statistics.Parameters.IsEmpty)
        {
            return;
        }
        Open();
        var first = true;
        foreach (var parameter in statistics.Parameters)
        {
            Separator(ref first);
            WritePkgdName(parameter.Name);
            if (parameter.Values is not { IsEmpty: false } values)
            {
                continue;
            }
            Equal();
            if (values.Count == 1)
            {
                WriteValue(values[0]);
            }
            else
            {
                WriteValueList((byte)'[', values, (byte)']');
            }
        }
        Close();
    }

    // H.248.1 Annex B: packagesDescriptor = PackagesToken LBRKT packagesItem *(COMMA packagesItem) RBRKT
    private void WritePackages(PackagesDescriptor packages)
    {
        if (packages.Packages.IsEmpty)
        {
            throw new ArgumentException("A Packages descriptor needs at least one package.", nameof(packages));
        }
        Keyword(Text.Keyword.Packages);
        Open();
        var first = true;
        foreach (var package in packages.Packages)
        {
            Separator(ref first);
            WritePackageItem(package);
        }
        Close();
    }

    // H.248.1 Annex B: packagesItem = NAME "-" UINT16
    private void WritePackageItem(PackageItem package)
    {
        Name(package.Name, "Package name");
        Byte((byte)'-');
        UInt(package.Version);
    }

    // H.248.1 Annex B: errorDescriptor = ErrorToken EQUAL ErrorCode LBRKT [quotedString] RBRKT
    private void WriteError(ErrorDescriptor error)
    {
        if (error.Code > 9999)
        {
            throw new ArgumentException("An error code has at most four digits (ErrorCode = 1*4(DIGIT)).", nameof(error));
        }
        Keyword(Text.Keyword.Error);
        Equal();
        UInt(error.Code);
        Bytes(_pretty ? " {"u8 : "{"u8);
        if (error.Text is { } text)
        {
            WriteQuoted(text);
        }
        Byte((byte)'}');
    }

    // H.248.1 Annex B: auditDescriptor = AuditToken LBRKT [auditItem *(COMMA auditItem)] RBRKT
    private void WriteAuditDescriptor(AuditDescriptor audit)
    {
        Keyword(Text.Keyword.Audit);
        if (audit.Tokens == AuditTokens.None && audit.Parameters.IsEmpty)
        {
            Bytes(_pretty ? " { }"u8 : "{}"u8);
            return;
        }
        Open();
        var first = true;
        WriteAuditTokens(audit.Tokens, ref first);
        foreach (var parameter in audit.Parameters)
        {
            _version.Require(H248Features.IndividualAudit, "Individual audit item");
            Separator(ref first);
            WriteIndAudParameter(parameter);
        }
        Close();
    }

    // H.248.1 Annex B: auditItem = (auditReturnItem / SignalsToken / EventBufferToken / EventsToken / indAudterminationAudit)
    private void WriteAuditTokens(AuditTokens tokens, ref bool first)
    {
        WriteAuditToken(tokens, AuditTokens.Mux, Text.Keyword.Mux, ref first);
        WriteAuditToken(tokens, AuditTokens.Modem, Text.Keyword.Modem, ref first);
        WriteAuditToken(tokens, AuditTokens.Media, Text.Keyword.Media, ref first);
        WriteAuditToken(tokens, AuditTokens.DigitMap, Text.Keyword.DigitMap, ref first);
        WriteAuditToken(tokens, AuditTokens.ObservedEvents, Text.Keyword.ObservedEvents, ref first);
        WriteAuditToken(tokens, AuditTokens.Packages, Text.Keyword.Packages, ref first);
        WriteAuditToken(tokens, AuditTokens.Statistics, Text.Keyword.Statistics, ref first);
        WriteAuditToken(tokens, AuditTokens.Signals, Text.Keyword.Signals, ref first);
        WriteAuditToken(tokens, AuditTokens.EventBuffer, Text.Keyword.EventBuffer, ref first);
        WriteAuditToken(tokens, AuditTokens.Events, Text.Keyword.Events, ref first);
    }

    private void WriteAuditToken(AuditTokens tokens, AuditTokens token, Keyword keyword, ref bool first)
    {
        if ((tokens & token) == 0)
        {
            return;
        }
        Separator(ref first);
        Keyword(keyword);
    }

    // H.248.1 Annex B: indAudauditReturnParameter = (indAudmediaDescriptor / indAudeventsDescriptor / indAudsignalsDescriptor /
    //   indAuddigitMapDescriptor / indAudeventBufferDescriptor / indAudstatisticsDescriptor / indAudpackagesDescriptor)
    private void WriteIndAudParameter(IndAuditParameter parameter)
    {
        switch (parameter)
        {
            case IndAudMediaDescriptor media:
                WriteIndAudMedia(media);
                break;
            case IndAudEventsDescriptor events:
                // H.248.1 Annex B: indAudeventsDescriptor = EventsToken [EQUAL RequestID] LBRKT indAudrequestedEvent RBRKT
                //   indAudrequestedEvent = pkgdName (the binary encoding's stream id has no text form)
                if (events.StreamId is not null)
                {
                    throw new ArgumentException("An audited Events descriptor cannot carry a stream id in the text encoding.", nameof(parameter));
                }
                Keyword(Text.Keyword.Events);
                if (events.RequestId is { } requestId)
                {
                    Equal();
                    UInt(requestId);
                }
                Open();
                WritePkgdName(events.Name);
                Close();
                break;
            case IndAudEventBufferDescriptor eventBuffer:
                // H.248.1 Annex B: indAudeventBufferDescriptor = EventBufferToken LBRKT indAudeventSpec RBRKT
                //   indAudeventSpec = pkgdName [LBRKT (eventStream / eventParameterName) RBRKT]
                if (eventBuffer.StreamId is not null && eventBuffer.ParameterName is not null)
                {
                    throw new ArgumentException("An indAud eventSpec has a stream or a parameter name, not both.", nameof(parameter));
                }
                Keyword(Text.Keyword.EventBuffer);
                Open();
                WritePkgdName(eventBuffer.Name);
                if (eventBuffer.StreamId is { } bufferStream)
                {
                    Open();
                    WriteStreamParameter(bufferStream);
                    Close();
                }
                else if (eventBuffer.ParameterName is { } parameterName)
                {
                    Open();
                    Name(parameterName, "Event parameter name");
                    Close();
                }
                Close();
                break;
            case IndAudSignalsDescriptor signals:
                WriteIndAudSignals(signals);
                break;
            case IndAudDigitMapDescriptor digitMap:
                // H.248.1 Annex B: indAuddigitMapDescriptor = DigitMapToken [EQUAL digitMapName]
                Keyword(Text.Keyword.DigitMap);
                if (digitMap.Name is { } digitMapName)
                {
                    Equal();
                    Name(digitMapName, "Digit map name");
                }
                break;
            case IndAudStatisticsDescriptor statistics:
                // H.248.1 Annex B: indAudstatisticsDescriptor = StatsToken LBRKT pkgdName RBRKT
                WriteIndAudStatistics(statistics.Name);
                break;
            case IndAudPackagesDescriptor packages:
                // H.248.1 Annex B: indAudpackagesDescriptor = PackagesToken LBRKT packagesItem RBRKT
                Keyword(Text.Keyword.Packages);
                Open();
                WritePackageItem(packages.Package);
                Close();
                break;
            default:
                throw new ArgumentException($"Unknown individual audit item {parameter.GetType().Name}.", nameof(parameter));
        }
    }

    private void WriteIndAudStatistics(PkgdName name)
    {
        Keyword(Text.Keyword.Statistics);
        Open();
        WritePkgdName(name);
        Close();
    }

    // H.248.1 Annex B: indAudsignalsDescriptor = SignalsToken LBRKT [indAudsignalParm] RBRKT
    //   indAudsignalParm = indAudseqSigList / signalRequest; indAudseqSigList = SignalListToken EQUAL signalListId [LBRKT signalListParm RBRKT]
    private void WriteIndAudSignals(IndAudSignalsDescriptor signals)
    {
        Keyword(Text.Keyword.Signals);
        switch (signals.Signal)
        {
            case null:
                Bytes(_pretty ? " { }"u8 : "{}"u8);
                return;
            case SignalRequest request:
                Open();
                WriteSignalRequest(request);
                Close();
                return;
            case SignalList list:
                if (list.Signals.Count > 1)
                {
                    throw new ArgumentException("An audited SignalList names at most one signal.", nameof(signals));
                }
                Open();
                Keyword(Text.Keyword.SignalList);
                Equal();
                UInt(list.Id);
                if (list.Signals.Count == 1)
                {
                    Open();
                    WriteSignalRequest(list.Signals[0]);
                    Close();
                }
                Close();
                return;
            default:
                throw new ArgumentException($"Unknown signal item type {signals.Signal.GetType().Name}.", nameof(signals));
        }
    }

    // H.248.1 Annex B: indAudmediaDescriptor = MediaToken LBRKT indAudmediaParm *(COMMA indAudmediaParm) RBRKT
    //   indAudmediaParm = (indAudstreamParm / indAudstreamDescriptor / indAudterminationStateDescriptor)
    private void WriteIndAudMedia(IndAudMediaDescriptor media)
    {
        Keyword(Text.Keyword.Media);
        Open();
        var first = true;
        if (media.TerminationState is { } state)
        {
            Separator(ref first);
            WriteIndAudTerminationState(state);
        }
        if (media.Stream is { } parms)
        {
            WriteIndAudStreamParms(parms, ref first);
        }
        foreach (var stream in media.Streams)
        {
            // H.248.1 Annex B: indAudstreamDescriptor = StreamToken EQUAL StreamID LBRKT indAudstreamParm RBRKT
            Separator(ref first);
            WriteStreamParameter(stream.StreamId);
            Open();
            var firstParm = true;
            WriteIndAudStreamParms(stream.Parms, ref firstParm);
            if (firstParm)
            {
                throw new ArgumentException("An audited Stream needs a parameter.", nameof(media));
            }
            Close();
        }
        if (first)
        {
            throw new ArgumentException("An audited Media descriptor needs at least one parameter.", nameof(media));
        }
        Close();
    }

    // H.248.1 Annex B: indAudstreamParm = (RemoteToken / LocalToken / indAudlocalControlDescriptor / indAudstatisticsDescriptor)
    private void WriteIndAudStreamParms(IndAudStreamParms parms, ref bool first)
    {
        if (parms.LocalControl is { } localControl)
        {
            Separator(ref first);
            WriteIndAudLocalControl(localControl);
        }
        if (parms.Local)
        {
            _version.Require(H248Features.IndividualAuditSelect, "Audited Local");
            Separator(ref first);
            Keyword(Text.Keyword.Local);
        }
        if (parms.Remote)
        {
            _version.Require(H248Features.IndividualAuditSelect, "Audited Remote");
            Separator(ref first);
            Keyword(Text.Keyword.Remote);
        }
        if (parms.Statistic is { } statistic)
        {
            _version.Require(H248Features.IndividualAuditSelect, "Audited stream Statistics");
            Separator(ref first);
            WriteIndAudStatistics(statistic);
        }
    }

    // H.248.1 Annex B: indAudlocalControlDescriptor = LocalControlToken LBRKT indAudlocalParm *(COMMA indAudlocalParm) RBRKT
    //   indAudlocalParm = ModeToken [(EQUAL / INEQUAL) streamModes] / ReservedGroupToken / ReservedValueToken / indAudpropertyParm
    private void WriteIndAudLocalControl(IndAudLocalControlDescriptor localControl)
    {
        Keyword(Text.Keyword.LocalControl);
        Open();
        var first = true;
        if (localControl.Mode || localControl.ModeSelect is not null)
        {
            Separator(ref first);
            Keyword(Text.Keyword.Mode);
            if (localControl.ModeSelect is { } mode)
            {
                _version.Require(H248Features.IndividualAuditSelect, "Audited Mode selection");
                if (localControl.ModeSelectNotEqual)
                {
                    Byte((byte)'#');
                }
                else
                {
                    Equal();
                }
                Keyword(StreamModeKeyword(mode));
            }
        }
        if (localControl.ReserveGroup)
        {
            Separator(ref first);
            Keyword(Text.Keyword.ReservedGroup);
        }
        if (localControl.ReserveValue)
        {
            Separator(ref first);
            Keyword(Text.Keyword.ReservedValue);
        }
        foreach (var property in localControl.Properties)
        {
            Separator(ref first);
            WriteIndAudPropertyParm(property);
        }
        if (first)
        {
            throw new ArgumentException("An audited LocalControl needs at least one parameter.", nameof(localControl));
        }
        Close();
    }

    // H.248.1 Annex B: indAudterminationStateDescriptor = TerminationStateToken LBRKT indAudterminationStateParm RBRKT
    //   indAudterminationStateParm = (ServiceStatesToken [(EQUAL / INEQUAL) serviceStatesValue] / BufferToken / indAudpropertyParm)
    private void WriteIndAudTerminationState(IndAudTerminationStateDescriptor state)
    {
        Keyword(Text.Keyword.TerminationState);
        Open();
        var first = true;
        if (state.ServiceStates || state.ServiceStateSelect is not null)
        {
            Separator(ref first);
            Keyword(Text.Keyword.ServiceStates);
            if (state.ServiceStateSelect is { } serviceState)
            {
                _version.Require(H248Features.IndividualAuditSelect, "Audited ServiceStates selection");
                if (state.ServiceStateSelectNotEqual)
                {
                    Byte((byte)'#');
                }
                else
                {
                    Equal();
                }
                Keyword(ServiceStateKeyword(serviceState));
            }
        }
        if (state.Buffer)
        {
            Separator(ref first);
            Keyword(Text.Keyword.Buffer);
        }
        foreach (var property in state.Properties)
        {
            Separator(ref first);
            WriteIndAudPropertyParm(property);
        }
        if (first)
        {
            throw new ArgumentException("An audited TerminationState needs a parameter.", nameof(state));
        }
        Close();
    }

    // H.248.1 Annex B: indAudpropertyParm = pkgdName / propertyParm (the latter selects on a value, v3)
    private void WriteIndAudPropertyParm(IndAudPropertyParm property)
    {
        if (property.Select is { } select)
        {
            _version.Require(H248Features.IndividualAuditSelect, "Audited property selection");
            WritePkgdName(property.Name);
            WriteParmValue(select.Values, select.Relation);
        }
        else
        {
            WritePkgdName(property.Name);
        }
    }

    // H.248.1 Annex B: serviceChangeDescriptor = ServicesToken LBRKT serviceChangeParm *(COMMA serviceChangeParm) RBRKT
    //   serviceChangeParm = (serviceChangeMethod / serviceChangeReason / serviceChangeDelay / serviceChangeAddress /
    //   serviceChangeProfile / extension / TimeStamp / serviceChangeMgcId / serviceChangeVersion /
    //   ServiceChangeIncompleteToken / auditItem)
    private void WriteServiceChangeParm(ServiceChangeParm parm)
    {
        Keyword(Text.Keyword.Services);
        Open();
        // H.248.1 Annex B: serviceChangeMethod = MethodToken EQUAL (FailoverToken / ForcedToken / GracefulToken /
        //   RestartToken / DisconnectedToken / HandOffToken / extensionParameter)
        Keyword(Text.Keyword.Method);
        Equal();
        switch (parm.Method)
        {
            case ServiceChangeMethod.Failover:
                Keyword(Text.Keyword.Failover);
                break;
            case ServiceChangeMethod.Forced:
                Keyword(Text.Keyword.Forced);
                break;
            case ServiceChangeMethod.Graceful:
                Keyword(Text.Keyword.Graceful);
                break;
            case ServiceChangeMethod.Restart:
                Keyword(Text.Keyword.Restart);
                break;
            case ServiceChangeMethod.Disconnected:
                Keyword(Text.Keyword.Disconnected);
                break;
            case ServiceChangeMethod.HandOff:
                Keyword(Text.Keyword.HandOff);
                break;
            case ServiceChangeMethod.Extension:
                // H.248.1 Annex B: extensionParameter = "X" ("-" / "+") 1*6(ALPHA / DIGIT)
                if (parm.MethodExtension is not { Length: > 2 } extension
                    || (extension[0] != 'X' && extension[0] != 'x') || (extension[1] != '-' && extension[1] != '+'))
                {
                    throw new ArgumentException("An extension ServiceChange method is named X-... or X+....", nameof(parm));
                }
                Name(extension, "ServiceChange method extension");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(parm), parm.Method, "Unknown ServiceChange method.");
        }
        if (parm.Address is { } address)
        {
            Comma();
            WriteServiceChangeAddress(address);
        }
        if (parm.Version is { } version)
        {
            Comma();
            WriteServiceChangeVersion(version);
        }
        if (parm.Profile is { } profile)
        {
            Comma();
            WriteServiceChangeProfile(profile);
        }
        if (parm.Reason is { } reason)
        {
            // H.248.1 Annex B: serviceChangeReason = ReasonToken EQUAL VALUE; quoted as Erlang and most peers write it.
            Comma();
            Keyword(Text.Keyword.Reason);
            Equal();
            WriteQuoted(reason);
        }
        if (parm.Delay is { } delay)
        {
            // H.248.1 Annex B: serviceChangeDelay = DelayToken EQUAL UINT32
            Comma();
            Keyword(Text.Keyword.Delay);
            Equal();
            UInt(delay);
        }
        if (parm.MgcIdToTry is { } mgc)
        {
            // H.248.1 Annex B: serviceChangeMgcId = MgcIdToken EQUAL mId
            Comma();
            Keyword(Text.Keyword.MgcIdToTry);
            Equal();
            WriteMId(mgc);
        }
        if (parm.Timestamp is { } timestamp)
        {
            Comma();
            WriteTimeStamp(timestamp);
        }
        foreach (var extensionParm in parm.Extensions)
        {
            // H.248.1 Annex B: extension = extensionParameter parmValue
            Comma();
            WritePropertyParm(extensionParm);
        }
        if (parm.Info is { } info && (info.Tokens != AuditTokens.None || !info.Parameters.IsEmpty))
        {
            _version.Require(H248Features.ServiceChangeAuditItems, "Audit items in a ServiceChange");
            var first = false;
            WriteAuditTokens(info.Tokens, ref first);
            foreach (var parameter in info.Parameters)
            {
                Comma();
                WriteIndAudParameter(parameter);
            }
        }
        if (parm.Incomplete)
        {
            _version.Require(H248Features.ServiceChangeIncomplete, "ServiceChangeInc");
            Comma();
            Keyword(Text.Keyword.ServiceChangeIncomplete);
        }
        Close();
    }

    // H.248.1 Annex B: serviceChangeReplyDescriptor = ServicesToken LBRKT servChgReplyParm *(COMMA servChgReplyParm) RBRKT
    //   servChgReplyParm = (serviceChangeAddress / serviceChangeMgcId / serviceChangeProfile / serviceChangeVersion / TimeStamp)
    private void WriteServiceChangeResParm(ServiceChangeResParm result)
    {
        Keyword(Text.Keyword.Services);
        Open();
        var first = true;
        if (result.Address is { } address)
        {
            Separator(ref first);
            WriteServiceChangeAddress(address);
        }
        if (result.Version is { } version)
        {
            Separator(ref first);
            WriteServiceChangeVersion(version);
        }
        if (result.Profile is { } profile)
        {
            Separator(ref first);
            WriteServiceChangeProfile(profile);
        }
        if (result.MgcIdToTry is { } mgc)
        {
            Separator(ref first);
            Keyword(Text.Keyword.MgcIdToTry);
            Equal();
            WriteMId(mgc);
        }
        if (result.Timestamp is { } timestamp)
        {
            Separator(ref first);
            WriteTimeStamp(timestamp);
        }
        Close();
    }

    // H.248.1 Annex B: serviceChangeAddress = ServiceChangeAddressToken EQUAL (mId / portNumber)
    private void WriteServiceChangeAddress(ServiceChangeAddress address)
    {
        Keyword(Text.Keyword.ServiceChangeAddress);
        Equal();
        if (address.MId is { } mid)
        {
            if (address.Port is not null)
            {
                throw new ArgumentException("A ServiceChangeAddress is an mId or a port, not both.", nameof(address));
            }
            WriteMId(mid);
        }
        else if (address.Port is { } port)
        {
            UInt(port);
        }
        else
        {
            throw new ArgumentException("A ServiceChangeAddress needs an mId or a port.", nameof(address));
        }
    }

    // H.248.1 Annex B: serviceChangeVersion = VersionToken EQUAL Version; Version = 1*2(DIGIT)
    private void WriteServiceChangeVersion(ushort version)
    {
        if (version > 99)
        {
            throw new ArgumentException("A protocol version has at most two digits.", nameof(version));
        }
        Keyword(Text.Keyword.Version);
        Equal();
        UInt(version);
    }

    // H.248.1 Annex B: serviceChangeProfile = ProfileToken EQUAL NAME SLASH Version
    private void WriteServiceChangeProfile(ServiceChangeProfile profile)
    {
        Keyword(Text.Keyword.Profile);
        Equal();
        Name(profile.Name, "Profile name");
        if (profile.Version is { } version)
        {
            Byte((byte)'/');
            UInt(version);
        }
    }

    // H.248.1 Annex B: propertyParm = pkgdName parmValue
    private void WritePropertyParm(PropertyParm property)
    {
        WritePkgdName(property.Name);
        WriteParmValue(property.Values, property.Relation);
    }

    // H.248.1 Annex B: parmValue = (EQUAL alternativeValue) / (INEQUAL VALUE); INEQUAL = LWSP ("#" / ">" / "<") LWSP
    //   alternativeValue = (VALUE / LSBRKT VALUE *(COMMA VALUE) RSBRKT / LSBRKT VALUE COLON VALUE RSBRKT /
    //   LBRKT VALUE *(COMMA VALUE) RBRKT)
    private void WriteParmValue(ValueList<string> values, ParmRelation relation)
    {
        switch (relation)
        {
            case ParmRelation.Equal:
            case ParmRelation.NotEqual:
            case ParmRelation.GreaterThan:
            case ParmRelation.LessThan:
                if (values.Count != 1)
                {
                    throw new ArgumentException($"A {relation} relation takes exactly one value.", nameof(values));
                }
                Byte(relation switch
                {
                    ParmRelation.Equal => (byte)'=',
                    ParmRelation.NotEqual => (byte)'#',
                    ParmRelation.GreaterThan => (byte)'>',
                    _ => (byte)'<',
                });
                WriteValue(values[0]);
                break;
            case ParmRelation.Range:
                if (values.Count != 2)
                {
                    throw new ArgumentException("A range takes exactly two values.", nameof(values));
                }
                Bytes("=["u8);
                WriteValue(values[0]);
                Byte((byte)':');
                WriteValue(values[1]);
                Byte((byte)']');
                break;
            case ParmRelation.All:
                Byte((byte)'=');
                WriteValueList((byte)'[', values, (byte)']');
                break;
            case ParmRelation.Alternatives:
                Byte((byte)'=');
                WriteValueList((byte)'{', values, (byte)'}');
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(relation), relation, "Unknown parameter relation.");
        }
    }

    private void WriteValueList(byte open, ValueList<string> values, byte close)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("A value list needs at least one value.", nameof(values));
        }
        Byte(open);
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                Byte((byte)',');
            }
            first = false;
            WriteValue(value);
        }
        Byte(close);
    }

    // H.248.1 Annex B: VALUE = quotedString / 1*(SafeChar). A value is written bare only when every character is
    // a SafeChar, it is not spelled like a keyword that scanner-based peers refuse in a value position
    // (Erlang/OTP megaco scans "Media" or "M" as MediaToken and then fails), and it has no upper-case letter:
    // "the protocol is not case sensitive" (Annex B.2), so peers may fold a bare value's case (Erlang/OTP megaco
    // does), while a quoted string keeps it. Quoting is always valid.
    private void WriteValue(string value)
    {
        if (value.Length > 0 && IsSafeChars(value) && !value.AsSpan().ContainsAnyInRange('A', 'Z') && !IsReservedWord(value))
        {
            Ascii(value);
        }
        else
        {
            WriteQuoted(value);
        }
    }

    // H.248.1 Annex B: quotedString = DQUOTE *(SafeChar / RestChar / WSP) DQUOTE
    private void WriteQuoted(string text)
    {
        foreach (var c in text)
        {
            if (c == '"')
            {
                throw new ArgumentException("A quoted string cannot contain a double quote.", nameof(text));
            }
            if (!IsSafeChar(c) && !IsRestChar(c) && c != ' ' && c != '\t')
            {
                throw new ArgumentException($"A quoted string cannot contain the character U+{(int)c:X4}.", nameof(text));
            }
        }
        Byte((byte)'"');
        Ascii(text);
        Byte((byte)'"');
    }

    // H.248.1 Annex B: pkgdName = (PackageName SLASH ItemID) / (PackageName SLASH "*") / ("*" SLASH ItemID) / ("*" SLASH "*")
    private void WritePkgdName(PkgdName name)
    {
        if (name.Package.Length > 0)
        {
            Name(name.Package, "Package name");
            Byte((byte)'/');
        }
        Name(name.Item, "Item name");
    }

    private Keyword RequireKeyword(H248Features feature, string construct, Keyword keyword)
    {
        _version.Require(feature, construct);
        return keyword;
    }

    // ---- layout ----

    // H.248.1 Annex B: EQUAL = LWSP "=" LWSP
    private void Equal()
    {
        if (_pretty)
        {
            Bytes(PrettyEqual);
        }
        else
        {
            Byte((byte)'=');
        }
    }

    // EQUAL LBRKT without a doubled space in pretty style.
    private void EqualOpen()
    {
        if (!_pretty)
        {
            Bytes("={"u8);
            return;
        }
        Bytes(" = {"u8);
        _depth++;
        NewLine();
    }

    // H.248.1 Annex B: LBRKT = LWSP "{" LWSP; pretty opens a new indented line.
    private void Open()
    {
        if (_pretty)
        {
            Bytes(" {"u8);
            _depth++;
            NewLine();
        }
        else
        {
            Byte((byte)'{');
        }
    }

    // H.248.1 Annex B: RBRKT = LWSP "}" LWSP; pretty puts it on its own line.
    private void Close()
    {
        if (_pretty)
        {
            _depth--;
            NewLine();
        }
        Byte((byte)'}');
    }

    // H.248.1 Annex B: COMMA = LWSP "," LWSP; pretty ends the line.
    private void Comma()
    {
        Byte((byte)',');
        if (_pretty)
        {
            NewLine();
        }
    }

    private void Separator(ref bool first)
    {
        if (first)
        {
            first = false;
        }
        else
        {
            Comma();
        }
    }

    private void NewLine()
    {
        var span = _output.GetSpan(1 + _depth);
        span[0] = (byte)'\n';
        span.Slice(1, _depth).Fill((byte)'\t');
        _output.Advance(1 + _depth);
    }

    // ---- bytes ----

    private void Keyword(Keyword keyword) =>
        Bytes(_pretty ? KeywordTable.LongUtf8(keyword) : KeywordTable.ShortUtf8(keyword));

    private void Byte(byte value)
    {
        var span = _output.GetSpan(1);
        span[0] = value;
        _output.Advance(1);
    }

    private void Bytes(ReadOnlySpan<byte> bytes)
    {
        var span = _output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _output.Advance(bytes.Length);
    }

    private void UInt(uint value)
    {
        var span = _output.GetSpan(10);
        Utf8Formatter.TryFormat(value, span, out var written);
        _output.Advance(written);
    }

    private void Hex8(uint value)
    {
        var span = _output.GetSpan(8);
        Utf8Formatter.TryFormat(value, span, out var written, new StandardFormat('x', 8));
        _output.Advance(written);
    }

    /// <summary>Writes text already checked to be ASCII (tokens, names, values).</summary>
    private void Ascii(ReadOnlySpan<char> text)
    {
        var span = _output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }
        _output.Advance(text.Length);
    }

    /// <summary>Writes SDP text, which may hold any octet but CR/LF (Annex B octetString), as UTF-8.</summary>
    private void Utf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }
        var span = _output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        var written = Encoding.UTF8.GetBytes(text, span);
        _output.Advance(written);
    }

    /// <summary>
    /// Writes a name-like token (termination id, package or item name, mId address, ...). These are positional
    /// in the grammar; only characters that would end or break the token are refused.
    /// </summary>
    private void Name(string text, string what)
    {
        if (text.Length == 0)
        {
            throw new ArgumentException($"{what} must not be empty.", nameof(text));
        }
        foreach (var c in text)
        {
            if (c <= ' ' || c > '~' || c is '{' or '}' or ',' or '"' or '=' or ';')
            {
                throw new ArgumentException($"{what} '{text}' holds a character that cannot appear in it.", nameof(text));
            }
        }
        Ascii(text);
    }

    // ---- character classes ----

    // H.248.1 Annex B: SafeChar = DIGIT / ALPHA / "+" / "-" / "&" / "!" / "_" / "/" / "'" / "?" / "@" / "^" / "`" /
    //   "~" / "*" / "$" / "\" / "(" / ")" / "%" / "|" / "."
    private static bool IsSafeChar(char c) =>
        c is (>= '0' and <= '9') or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z')
            or '+' or '-' or '&' or '!' or '_' or '/' or '\'' or '?' or '@' or '^' or '`' or '~' or '*' or '$'
            or '\\' or '(' or ')' or '%' or '|' or '.';

    // H.248.1 Annex B: RestChar = ";" / "[" / "]" / "{" / "}" / ":" / "," / "#" / "<" / ">" / "="
    private static bool IsRestChar(char c) =>
        c is ';' or '[' or ']' or '{' or '}' or ':' or ',' or '#' or '<' or '>' or '=';

    private static bool IsSafeChars(string value)
    {
        foreach (var c in value)
        {
            if (!IsSafeChar(c))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsReservedWord(string value)
    {
        if (value.Length > KeywordTable.MaxLength)
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            bytes[i] = (byte)value[i];
        }
        var keyword = KeywordTable.Lookup(bytes);
        return keyword != Text.Keyword.None && !BareValueKeywords.Contains(keyword);
    }

    /// <summary>
    /// Keywords that grammars built on a keyword scanner still accept as a bare value (Erlang/OTP megaco's
    /// safeToken set), so common values such as <c>on</c>, <c>off</c> or <c>test</c> need no quotes.
    /// </summary>
    private static readonly HashSet<Keyword> BareValueKeywords =
    [
        Text.Keyword.Add, Text.Keyword.Audit, Text.Keyword.AuditCapability, Text.Keyword.AuditValue,
        Text.Keyword.Authentication, Text.Keyword.Both, Text.Keyword.Brief, Text.Keyword.Context,
        Text.Keyword.ContextAudit, Text.Keyword.Direction, Text.Keyword.Discard, Text.Keyword.Disconnected,
        Text.Keyword.Delay, Text.Keyword.Duration, Text.Keyword.Embed, Text.Keyword.Error, Text.Keyword.Events,
        Text.Keyword.Failover, Text.Keyword.Forced, Text.Keyword.Graceful, Text.Keyword.H221, Text.Keyword.H223,
        Text.Keyword.H226, Text.Keyword.HandOff, Text.Keyword.ImmAckRequired, Text.Keyword.Inactive,
        Text.Keyword.InterruptByEvent, Text.Keyword.InterruptBySignalsDescriptor, Text.Keyword.InService,
        Text.Keyword.KeepActive, Text.Keyword.LocalControl, Text.Keyword.Loopback, Text.Keyword.LockStep,
        Text.Keyword.Method, Text.Keyword.MgcIdToTry, Text.Keyword.Notify, Text.Keyword.NotifyCompletion,
        Text.Keyword.Nx64kService, Text.Keyword.Off, Text.Keyword.On, Text.Keyword.OnOff, Text.Keyword.OutOfService,
        Text.Keyword.OtherReason, Text.Keyword.Pending, Text.Keyword.Profile, Text.Keyword.Reason,
        Text.Keyword.ReceiveOnly, Text.Keyword.Reply, Text.Keyword.RequestId, Text.Keyword.TransactionResponseAck,
        Text.Keyword.Restart, Text.Keyword.SendOnly, Text.Keyword.SendReceive, Text.Keyword.Services,
        Text.Keyword.ServiceChange, Text.Keyword.ServiceChangeAddress, Text.Keyword.SignalList, Text.Keyword.SignalType,
        Text.Keyword.Stream, Text.Keyword.SynchIsdn, Text.Keyword.TerminationState, Text.Keyword.Test,
        Text.Keyword.TimeOut, Text.Keyword.Transaction, Text.Keyword.V18, Text.Keyword.V22, Text.Keyword.V22bis,
        Text.Keyword.V32, Text.Keyword.V32bis, Text.Keyword.V34, Text.Keyword.V76, Text.Keyword.V90, Text.Keyword.V91,
        Text.Keyword.Version,
    ];

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        return true;
    }
}
