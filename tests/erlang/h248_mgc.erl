%% h248_mgc: an Erlang/OTP megaco MGC for our interop tests.
%%
%%   erl -noshell -pa DIR -run h248_mgc main -extra --transport udp|tcp --port 2945 [--host 127.0.0.1]
%%       --encoding pretty|compact --version 1|2|3 [--mode recvonly] [--notifies 1]
%%       [--handoff PORT] [--timeout 10] [--deadline 60]
%%
%% It listens, accepts one MG's ServiceChange registration (replying with the negotiated version,
%% H.248.1 clause 11.3), then runs a script against that MG: Add a CHOOSE termination to a CHOOSE
%% context with Local/Remote SDP for an MSRP stream, wait for the MG's Notify, Modify the mode,
%% AuditValue the media, Subtract; with --handoff, then hand the MG to the MGC at that port of the
%% same host (ServiceChange HandOff on ROOT with MgcIdToTry, H.248.1 clause 7.2.8). Every Notify
%% request is answered and printed. Output, one line each, TAB-separated:
%%
%%   STEP  name  ok|error  detail          name: listen register add notify-wait modify audit subtract
%%                                         handoff
%%   NOTIFY  detail                        a Notify request received (and answered)
%%   INFO  what  detail                    anything else worth knowing; a driver may ignore it
%%   DONE                                  the script succeeded; exit status 0
%%   FAILED  step                          exit status 1
%%   FATAL  why                            usage (2), deadline (3), setup failure (4)

-module(h248_mgc).

-include("h248_peer.hrl").

-export([main/0, main/1]).
%% called by h248_peer's megaco callbacks
-export([trans_request/3, other_end/0]).

-define(MAIN, h248_mgc_main).

-import(h248_peer, [emit/1, fatal/2, fmt/1, fmt_tid/1, fmt_ctx/1, fmt_mid/1]).

defaults() ->
    #{transport => "udp", port => "2945", host => "127.0.0.1", encoding => "compact",
      version => "3", mode => "recvonly", notifies => "1", handoff => "", timeout => "10",
      deadline => "60"}.

%% Started as "erl ... -run MODULE main -extra --option value ...": the options are the plain
%% arguments after -extra (erl would take "--option" for one of its own flags otherwise).
main() ->
    main([]).

main(Args0) ->
    Args = case Args0 of [] -> init:get_plain_arguments(); _ -> Args0 end,
    process_flag(trap_exit, true),
    h248_peer:quiet_logger(),
    case options(Args) of
        {ok, O} ->
            run(O);
        {error, Why} ->
            fatal(2, "usage: " ++ Why)
    end.

options(Args) ->
    case h248_peer:parse_args(Args, defaults()) of
        {ok, M} ->
            try
                T = case maps:get(transport, M) of "udp" -> udp; "tcp" -> tcp end,
                {ok, Enc} = h248_peer:encoding_mod(maps:get(encoding, M)),
                V = list_to_integer(maps:get(version, M)),
                true = lists:member(V, [1, 2, 3]),
                {ok, Host} = h248_peer:parse_host(maps:get(host, M)),
                %% megaco_udp (4.4.2) makes its send handles with inet:getaddr(Addr, inet): IPv4
                %% only, so UDP over IPv6 crashes on the first datagram. TCP over ::1 works.
                (T =:= udp andalso tuple_size(Host) =:= 8) andalso throw({usage, "udp over IPv6 is not supported by Erlang megaco's UDP transport; use tcp"}),
                {ok, Mode} = h248_peer:parse_mode(string:lowercase(maps:get(mode, M))),
                {ok, #{transport => T, port => list_to_integer(maps:get(port, M)), host => Host,
                       encoding => Enc, encoding_name => maps:get(encoding, M), version => V,
                       mode => Mode, notifies => list_to_integer(maps:get(notifies, M)),
                       handoff => case maps:get(handoff, M) of "" -> none; P -> list_to_integer(P) end,
                       timeout => 1000 * list_to_integer(maps:get(timeout, M)),
                       deadline => 1000 * list_to_integer(maps:get(deadline, M))}}
            catch
                throw:{usage, Why} -> {error, Why};
                _:_ -> {error, "bad option value in " ++ lists:flatten(lists:join(" ", Args))}
            end;
        Error ->
            Error
    end.

run(#{transport := T, port := Port, host := Host, version := Vsn, timeout := TO} = O) ->
    register(?MAIN, self()),
    h248_peer:start_watchdog(maps:get(deadline, O)),
    %% Callbacks run in megaco's processes; they read our version from here.
    persistent_term:put({?MODULE, version}, Vsn),
    Mid = h248_peer:mid(Host, Port),
    RH = h248_peer:start_megaco_user(Mid, T, O, ?MODULE),
    IpOpts = ip_opts(Host),
    Listen =
        case T of
            udp ->
                {ok, Sup} = megaco_udp:start_transport(),
                case megaco_udp:open(Sup, [{port, Port}, {receive_handle, RH}, {udp_options, IpOpts}]) of
                    {ok, _Sock, _Ctrl} -> ok;
                    E -> E
                end;
            tcp ->
                {ok, Sup} = megaco_tcp:start_transport(),
                megaco_tcp:listen(Sup, [{port, Port}, {receive_handle, RH}, {tcp_options, IpOpts}])
        end,
    case Listen of
        ok ->
            emit(["STEP", "listen", "ok",
                  io_lib:format("~s mid=~s encoding=~s version=~w",
                                [T, fmt_mid(Mid), maps:get(encoding_name, O), Vsn])]);
        Err ->
            emit(["STEP", "listen", "error", fmt(Err)]),
            fatal(4, "cannot listen")
    end,
    {CH, NegVsn} =
        receive
            {registered, CH0, V0} -> {CH0, V0}
        after TO ->
                fail("register", "timeout waiting for a ServiceChange")
        end,
    %% The callback told us before megaco sent the ServiceChangeReply; give the reply a head
    %% start so that the MG sees its registration answered before our first command.
    timer:sleep(50),
    script(CH, NegVsn, O).

ip_opts({_, _, _, _} = A) -> [{ip, A}];
ip_opts(A) -> [inet6, {ip, A}].

fail(Step, Detail) ->
    emit(["STEP", Step, "error", Detail]),
    emit(["FAILED", Step]),
    halt(1).

%%--------------------------------------------------------------------------------------------
%% The script (H.248.1 clause 7.2: Add, Modify, AuditValue, Subtract)

script(CH, Vsn, #{timeout := TO, mode := Mode, notifies := Notifies, host := Host} = O) ->
    IpVer = case Host of {_, _, _, _} -> "IP4"; _ -> "IP6" end,
    HostS = inet:ntoa(Host),
    %% Add: CHOOSE context and termination (clause 6.1.1, 6.2.2); the Local descriptor leaves
    %% address and port to the MG with "$" (clause 7.1.8), the Remote one is ours.
    Local = h248_peer:sdp([{"v", "0"}, {"c", "IN " ++ IpVer ++ " $"},
                           {"m", "message $ TCP/MSRP *"}, {"a", "accept-types:message/cpim"}]),
    Remote = h248_peer:sdp([{"v", "0"}, {"c", "IN " ++ IpVer ++ " " ++ HostS},
                            {"m", "message 7394 TCP/MSRP *"},
                            {"a", "path:msrp://" ++ HostS ++ ":7394/h248mgc;tcp"}]),
    AddMedia = #'MediaDescriptor'{
                  streams = {oneStream,
                             #'StreamParms'{localControlDescriptor =
                                                #'LocalControlDescriptor'{streamMode = sendRecv},
                                            localDescriptor = Local,
                                            remoteDescriptor = Remote}}},
    Choose = #megaco_term_id{contains_wildcards = true, id = ["$"]},
    Add = action(?CTX_CHOOSE, {addReq, #'AmmRequest'{terminationID = [Choose],
                                                      descriptors = [{mediaDescriptor, AddMedia}]}}),
    {Ctx, Tid} =
        case h248_peer:bounded_call(CH, Vsn, [Add], TO) of
            {ok, [#'ActionReply'{contextId = C, errorDescriptor = asn1_NOVALUE,
                                 commandReply = [{addReply, #'AmmsReply'{terminationID = [T], terminationAudit = TA}}]}]} ->
                emit(["STEP", "add", "ok",
                      io_lib:format("context=~s termination=~s local=~s",
                                    [fmt_ctx(C), fmt_tid(T), local_of(TA)])]),
                {C, T};
            R ->
                fail("add", describe(R))
        end,
    %% The MG announces one Notify after the Add; wait for it before going on.
    wait_notifies(Notifies, TO),
    %% Modify the stream mode (clause 7.1.7 LocalControl Mode).
    ModMedia = #'MediaDescriptor'{
                  streams = {oneStream,
                             #'StreamParms'{localControlDescriptor =
                                                #'LocalControlDescriptor'{streamMode = Mode}}}},
    Mod = action(Ctx, {modReq, #'AmmRequest'{terminationID = [Tid],
                                              descriptors = [{mediaDescriptor, ModMedia}]}}),
    case h248_peer:bounded_call(CH, Vsn, [Mod], TO) of
        {ok, [#'ActionReply'{contextId = C2, errorDescriptor = asn1_NOVALUE,
                             commandReply = [{modReply, #'AmmsReply'{terminationID = [T2]}}]}]} ->
            emit(["STEP", "modify", "ok",
                  io_lib:format("context=~s termination=~s mode=~s",
                                [fmt_ctx(C2), fmt_tid(T2), h248_peer:mode_name(Mode)])]);
        R2 ->
            fail("modify", describe(R2))
    end,
    %% AuditValue of the media descriptor (clause 7.2.5); the mode must be the one just set.
    Aud = action(Ctx, {auditValueRequest,
                       #'AuditRequest'{terminationID = Tid,
                                       auditDescriptor = #'AuditDescriptor'{auditToken = [mediaToken]}}}),
    case h248_peer:bounded_call(CH, Vsn, [Aud], TO) of
        {ok, [#'ActionReply'{contextId = C3, errorDescriptor = asn1_NOVALUE,
                             commandReply = [{auditValueReply,
                                              {auditResult, #'AuditResult'{terminationID = T3,
                                                                           terminationAuditResult = TAR}}}]}]} ->
            Got = [h248_peer:media_mode(MD) || {mediaDescriptor, MD} <- TAR],
            Detail = io_lib:format("context=~s termination=~s mode=~s local=~s",
                                   [fmt_ctx(C3), fmt_tid(T3),
                                    lists:join(",", [h248_peer:mode_name(M) || M <- Got]),
                                    local_of(TAR)]),
            case lists:member(Mode, Got) of
                true -> emit(["STEP", "audit", "ok", Detail]);
                false -> fail("audit", "mode not as modified: " ++ lists:flatten(Detail))
            end;
        R3 ->
            fail("audit", describe(R3))
    end,
    %% Subtract (clause 7.2.3); the context goes with its last termination.
    Sub = action(Ctx, {subtractReq, #'SubtractRequest'{terminationID = [Tid]}}),
    case h248_peer:bounded_call(CH, Vsn, [Sub], TO) of
        {ok, [#'ActionReply'{contextId = C4, errorDescriptor = asn1_NOVALUE,
                             commandReply = [{subtractReply, #'AmmsReply'{terminationID = [T4]}}]}]} ->
            emit(["STEP", "subtract", "ok",
                  io_lib:format("context=~s termination=~s", [fmt_ctx(C4), fmt_tid(T4)])]);
        R4 ->
            fail("subtract", describe(R4))
    end,
    handoff(CH, Vsn, O),
    %% Let megaco put the last replies (to Notify) on the wire before the VM stops.
    timer:sleep(200),
    emit(["DONE"]),
    halt(0).

%% HandOff (H.248.1 clause 7.2.8): ServiceChange on ROOT, Reason 903 "MGC directed change", with
%% MgcIdToTry naming the MGC the MG is to register with next.
handoff(_CH, _Vsn, #{handoff := none}) ->
    ok;
handoff(CH, Vsn, #{handoff := Port, host := Host, timeout := TO}) ->
    MgcId = h248_peer:mid(Host, Port),
    Parm = #'ServiceChangeParm'{serviceChangeMethod = handOff, serviceChangeReason = ["903"],
                                serviceChangeMgcId = MgcId},
    Root = #megaco_term_id{id = ["root"]},
    HandOff = action(?CTX_NULL, {serviceChangeReq, #'ServiceChangeRequest'{terminationID = [Root],
                                                                          serviceChangeParms = Parm}}),
    case h248_peer:bounded_call(CH, Vsn, [HandOff], TO) of
        {ok, [#'ActionReply'{errorDescriptor = asn1_NOVALUE,
                             commandReply = [{serviceChangeReply, #'ServiceChangeReply'{serviceChangeResult = {serviceChangeResParms, _}}}]}]} ->
            emit(["STEP", "handoff", "ok", "mgcidtotry=" ++ fmt_mid(MgcId)]);
        R ->
            fail("handoff", describe(R))
    end.

action(Ctx, Cmd) ->
    #'ActionRequest'{contextId = Ctx, commandRequests = [#'CommandRequest'{command = Cmd}]}.

wait_notifies(N, _TO) when N =< 0 ->
    ok;
wait_notifies(N, TO) ->
    receive
        notified -> wait_notifies(N - 1, TO)
    after TO ->
            fail("notify-wait", "timeout waiting for a Notify from the MG")
    end.

local_of(Audit) when is_list(Audit) ->
    case [h248_peer:media_local(MD) || {mediaDescriptor, MD} <- Audit] of
        [L | _] -> h248_peer:sdp_addr(L);
        _ -> "none"
    end;
local_of(_) -> "none".

%% An error as a detail with the error code first (H.248.1 clause 14).
describe({ok, [#'ActionReply'{contextId = C, errorDescriptor = #'ErrorDescriptor'{errorCode = E, errorText = X}}]}) ->
    io_lib:format("context=~s code=~w text=~s", [fmt_ctx(C), E, text(X)]);
describe({error, #'ErrorDescriptor'{errorCode = E, errorText = X}}) ->
    io_lib:format("code=~w text=~s", [E, text(X)]);
describe({error, Reason}) ->
    "reason=" ++ fmt(Reason);
describe(Other) ->
    "unexpected=" ++ fmt(Other).

text(asn1_NOVALUE) -> "";
text(X) -> X.

%%--------------------------------------------------------------------------------------------
%% What h248_peer's megaco callbacks ask of this peer

other_end() -> "mg".

trans_request(CH, PV, ARs) ->
    Replies = [action_reply(CH, PV, AR) || AR <- h248_peer:widen(ARs)],
    %% megaco encodes a reply in the version of the request it answers (even a ServiceChange
    %% reply that lowers the version goes out in the MG's header version), so fit to that.
    {discard_ack, h248_peer:fit(PV, Replies)}.

action_reply(CH, PV, #'ActionRequest'{contextId = Ctx, commandRequests = CRs}) ->
    #'ActionReply'{contextId = Ctx,
                   commandReply = [command_reply(CH, PV, Ctx, Cmd) || #'CommandRequest'{command = Cmd} <- CRs]}.

%% ServiceChange on ROOT from the MG: registration (clause 7.2.8, 11.2). Reply with the version
%% both sides speak, the lower of the MG's offer and ours (clause 11.3); when that is below the
%% version the MG used, tell megaco to encode with it from now on.
command_reply(CH, PV, _Ctx, {serviceChangeReq, #'ServiceChangeRequest'{terminationID = Tids,
                                                                       serviceChangeParms = P}}) ->
    #'ServiceChangeParm'{serviceChangeMethod = Method, serviceChangeVersion = Offered0,
                         serviceChangeReason = Reason, serviceChangeProfile = Profile} = P,
    Ours = persistent_term:get({?MODULE, version}),
    Offered = case Offered0 of asn1_NOVALUE -> PV; _ -> Offered0 end,
    Neg = min(Offered, Ours),
    %% megaco created this connection at our configured version, whatever the MG's header said.
    case megaco:conn_info(CH, protocol_version) of
        Neg -> ok;
        _ -> _ = megaco:update_conn_info(CH, protocol_version, Neg)
    end,
    emit(["STEP", "register", "ok",
          io_lib:format("mg=~s method=~w reason=~s offered=~w header=~w version=~w profile=~s",
                        [fmt_mid(element(3, CH)), Method, lists:join(" ", reason(Reason)),
                         Offered, PV, Neg, profile(Profile)])]),
    ?MAIN ! {registered, CH, Neg},
    {serviceChangeReply,
     #'ServiceChangeReply'{terminationID = Tids,
                           serviceChangeResult =
                               {serviceChangeResParms,
                                #'ServiceChangeResParm'{serviceChangeVersion = Neg,
                                                        serviceChangeProfile = Profile}}}};
%% Notify from the MG (clause 7.2.7): print and acknowledge with an empty NotifyReply.
command_reply(_CH, _PV, Ctx, {notifyReq, #'NotifyRequest'{terminationID = Tids,
                                                          observedEventsDescriptor = OED}}) ->
    #'ObservedEventsDescriptor'{requestId = RId, observedEventLst = Evs} = OED,
    emit(["NOTIFY", io_lib:format("context=~s termination=~s requestid=~w events=~s",
                                  [fmt_ctx(Ctx), fmt_tid(Tids), RId,
                                   lists:join(";", [event(E) || E <- Evs])])]),
    ?MAIN ! notified,
    {notifyReply, #'NotifyReply'{terminationID = Tids}};
command_reply(_CH, _PV, Ctx, Cmd) ->
    emit(["INFO", "unsupported-command", io_lib:format("context=~s ~0p", [fmt_ctx(Ctx), Cmd])]),
    %% 501 Not Implemented (H.248.1 clause 14)
    {notifyReply, #'NotifyReply'{terminationID = [],
                                 errorDescriptor = #'ErrorDescriptor'{errorCode = 501,
                                                                      errorText = "Not Implemented"}}}.

reason(R) when is_list(R) -> [fmt(X) || X <- R];
reason(R) -> [fmt(R)].

profile(#'ServiceChangeProfile'{profileName = N, version = V}) -> io_lib:format("~s/~w", [N, V]);
profile(_) -> "none".

event(#'ObservedEvent'{eventName = N, eventParList = Ps}) ->
    [N, "{", lists:join(",", [[PN, "=", lists:join(" ", V)] || #'EventParameter'{eventParameterName = PN, value = V} <- Ps]), "}"].
