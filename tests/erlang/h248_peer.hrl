%% Record shapes of Erlang/OTP megaco's decoded-message representation, written out here because
%% Debian's erlang-megaco ships no include files (megaco.hrl and megaco_message_vN.hrl live in
%% erlang-dev, which CI does not install).
%%
%% Names follow the ASN.1 of H.248.1 Annex A. Each record carries the v3 field list; the v1 and v2
%% encoders expect the shorter v1/v2 tuples, so h248_peer:fit/2 trims a term to the negotiated
%% version before it is sent and h248_peer:widen/1 pads a received one. That works because every
%% later field is an ASN.1 extension appended at the end of its SEQUENCE (H.248.1 Annex A uses
%% extension markers), so the common prefix keeps its positions in all three versions.
%%
%% Only the records these peers build or take apart are here.

%% A TerminationID in the text encoding: the id is the list of name levels ("a/b" -> ["a","b"]);
%% contains_wildcards is true for "$" and "*" (H.248.1 clause 6.2.2).
-record(megaco_term_id, {contains_wildcards = false, id}).

%% ContextID values of H.248.1 clause 6.1.1 / Annex A: NULL "-", CHOOSE "$", ALL "*".
-define(CTX_NULL, 0).
-define(CTX_CHOOSE, 16#FFFFFFFE).
-define(CTX_ALL, 16#FFFFFFFF).

-record('ActionRequest',
        {contextId, contextRequest = asn1_NOVALUE, contextAttrAuditReq = asn1_NOVALUE,
         commandRequests}).
-record('ActionReply',
        {contextId, errorDescriptor = asn1_NOVALUE, contextReply = asn1_NOVALUE,
         commandReply = []}).
-record('CommandRequest', {command, optional = asn1_NOVALUE, wildcardReturn = asn1_NOVALUE}).
-record('AmmRequest', {terminationID, descriptors = []}).
-record('AmmsReply', {terminationID, terminationAudit = asn1_NOVALUE}).
-record('SubtractRequest', {terminationID, auditDescriptor = asn1_NOVALUE}).
-record('AuditRequest', {terminationID, auditDescriptor, terminationIDList = asn1_NOVALUE}).
-record('AuditDescriptor', {auditToken = asn1_NOVALUE, auditPropertyToken = asn1_NOVALUE}).
-record('AuditResult', {terminationID, terminationAuditResult}).
-record('MediaDescriptor', {termStateDescr = asn1_NOVALUE, streams = asn1_NOVALUE}).
-record('StreamDescriptor', {streamID, streamParms}).
-record('StreamParms',
        {localControlDescriptor = asn1_NOVALUE, localDescriptor = asn1_NOVALUE,
         remoteDescriptor = asn1_NOVALUE, statisticsDescriptor = asn1_NOVALUE}).
-record('LocalControlDescriptor',
        {streamMode = asn1_NOVALUE, reserveValue = asn1_NOVALUE, reserveGroup = asn1_NOVALUE,
         propertyParms = []}).
-record('LocalRemoteDescriptor', {propGrps}).
-record('PropertyParm', {name, value, extraInfo = asn1_NOVALUE}).
-record('NotifyRequest',
        {terminationID, observedEventsDescriptor, errorDescriptor = asn1_NOVALUE}).
-record('NotifyReply', {terminationID, errorDescriptor = asn1_NOVALUE}).
-record('ObservedEventsDescriptor', {requestId, observedEventLst}).
-record('ObservedEvent',
        {eventName, streamID = asn1_NOVALUE, eventParList = [], timeNotation = asn1_NOVALUE}).
-record('EventParameter', {eventParameterName, value, extraInfo = asn1_NOVALUE}).
-record('TimeNotation', {date, time}).
-record('ServiceChangeRequest', {terminationID, serviceChangeParms}).
-record('ServiceChangeParm',
        {serviceChangeMethod, serviceChangeAddress = asn1_NOVALUE,
         serviceChangeVersion = asn1_NOVALUE, serviceChangeProfile = asn1_NOVALUE,
         serviceChangeReason, serviceChangeDelay = asn1_NOVALUE,
         serviceChangeMgcId = asn1_NOVALUE, timeStamp = asn1_NOVALUE,
         nonStandardData = asn1_NOVALUE, serviceChangeInfo = asn1_NOVALUE,
         serviceChangeIncompleteFlag = asn1_NOVALUE}).
-record('ServiceChangeReply', {terminationID, serviceChangeResult}).
-record('ServiceChangeResParm',
        {serviceChangeMgcId = asn1_NOVALUE, serviceChangeAddress = asn1_NOVALUE,
         serviceChangeVersion = asn1_NOVALUE, serviceChangeProfile = asn1_NOVALUE,
         timeStamp = asn1_NOVALUE}).
%% The text codec splits "Profile = name/version" into two fields (the ASN.1 has one string).
-record('ServiceChangeProfile', {profileName, version}).
-record('ErrorDescriptor', {errorCode, errorText = asn1_NOVALUE}).
-record('IP4Address', {address, portNumber = asn1_NOVALUE}).
-record('IP6Address', {address, portNumber = asn1_NOVALUE}).
