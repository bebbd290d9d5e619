%% h248_mg: an Erlang/OTP megaco MG for our interop tests.
%%
%%   erl -noshell -pa DIR -run h248_mg main -extra --transport udp|tcp --mgc 127.0.0.1:2945 --port 2944
%%       [--host 127.0.0.1] --encoding pretty|compact --version 1|2|3 [--profile NAME/VERSION]
%%       [--notify 1] [--subtracts 1] [--reregister restart|disconnected] [--timeout 10]
%%       [--deadline 60] [--linger 300]
%%
%% It registers with the MGC by ServiceChange Restart (Reason 901 cold boot, Version N, optional
%% Profile; H.248.1 clause 11.2), then answers the MGC's Add, Modify, AuditValue and Subtract,
%% choosing context and termination ids for "$" and filling "$" in the Local SDP with its own
%% address and a port. After answering the first Add it sends one Notify about that termination.
%% It is done once --subtracts Subtracts (default 1) have been answered and its Notify has been
%% answered; more than one lets a driver run several Add/Subtract rounds against one MG. With
%% --reregister it then registers again on the same connection, by ServiceChange Restart (901: as
%% after a reboot, its contexts gone) or Disconnected (900: as after an outage, clause 11.5).
%%
%% Output, one line each, TAB-separated:
%%
%%   STEP  name  ok|error  detail      name: connect register add notify modify audit subtract
%%                                     reregister
%%                                     (and "command" for anything else the MGC asks)
%%   INFO  what  detail                anything else worth knowing; a driver may ignore it
%%   DONE                              exit status 0
%%   FAILED  step                      exit status 1
%%   FATAL  why                        usage (2), deadline (3), setup failure (4)

-module(h248_mg).

-include("h248_peer.hrl").

-export([main/0, main/1]).
-export([trans_request/3, other_end/0]).

-define(MAIN, h248_mg_main).
-define(FIRST_MEDIA_PORT, 7000).

-import(h248_peer, [emit/1, fatal/2, fmt/1, fmt_tid/1, fmt_ctx/1, fmt_mid/1]).

defaults() ->
    #{transport => "udp", mgc => "127.0.0.1:2945", port => "2944", host => "127.0.0.1",
      encoding => "compact", version => "3", profile => "", notify => "1", timeout => "10",
      deadline => "60", linger => "300", subtracts => "1", reregister => ""}.

%% Started as "erl ... -run MODULE main -extra --option value ...": the options are the plain
%% arguments after -extra (erl would take "--option" for one of its own flags otherwise).
main() ->
    main([]).

main(Args0) ->
    Args = case Args0 of [] -> init:get_plain_arguments(); _ -> Args0 end,
    process_flag(trap_exit, true),
    h248_peer:quiet_logger(),
    case options(Args) of
        {ok, O} -> run(O);
        {error, Why} -> fatal(2, "usage: " ++ Why)
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
                {MgcHost, MgcPort} = host_port(maps:get(mgc, M)),
                Profile = case maps:get(profile, M) of
                              "" -> asn1_NOVALUE;
                              P -> [N, PV] = string:split(P, "/", trailing),
                                   #'ServiceChangeProfile'{profileName = N, version = list_to_integer(PV)}
                          end,
                {ok, #{transport => T, port => list_to_integer(maps:get(port, M)), host => Host,
                       mgc_host => MgcHost, mgc_port => MgcPort, encoding => Enc,
                       encoding_name => maps:get(encoding, M), version => V, profile => Profile,
                       notify => maps:get(notify, M) =/= "0",
                       timeout => 1000 * list_to_integer(maps:get(timeout, M)),
                       deadline => 1000 * list_to_integer(maps:get(deadline, M)),
                       linger => list_to_integer(maps:get(linger, M)),
                       subtracts => list_to_integer(maps:get(subtracts, M)),
                       reregister => case maps:get(reregister, M) of
                                         "" -> none;
                                         "restart" -> restart;
                                         "disconnected" -> disconnected
                                     end}}
            catch
                throw:{usage, Why} -> {error, Why};
                _:_ -> {error, "bad option value in " ++ lists:flatten(lists:join(" ", Args))}
            end;
        Error ->
            Error
    end.

%% "127.0.0.1:2945" or "[::1]:2945"
host_port("[" ++ Rest) ->
    [H, ":" ++ P] = string:split(Rest, "]"),
    {ok, A} = h248_peer:parse_host(H),
    {A, list_to_integer(P)};
host_port(S) ->
    [H, P] = string:split(S, ":", trailing),
    {ok, A} = h248_peer:parse_host(H),
    {A, list_to_integer(P)}.

run(#{transport := T, port := Port, host := Host, version := Vsn, timeout := TO} = O) ->
    register(?MAIN, self()),
    h248_peer:start_watchdog(maps:get(deadline, O)),
    #{mgc_host := MgcHost, mgc_port := MgcPort} = O,
    Mid = h248_peer:mid(Host, Port),
    RH = h248_peer:start_megaco_user(Mid, T, O, ?MODULE),
    %% The MGC's own mId is learnt from its reply: until then the connection is keyed by
    %% megaco's preliminary_mid, which megaco replaces when the reply arrives.
    Conn =
        case T of
            udp ->
                {ok, Sup} = megaco_udp:start_transport(),
                case megaco_udp:open(Sup, [{port, Port}, {receive_handle, RH},
                                           {udp_options, ip_opts(Host)}]) of
                    {ok, Sock, Ctrl} ->
                        SH = megaco_udp:create_send_handle(Sock, MgcHost, MgcPort),
                        megaco:connect(RH, preliminary_mid, SH, Ctrl);
                    E ->
                        E
                end;
            tcp ->
                {ok, Sup} = megaco_tcp:start_transport(),
                case tcp_connect(Sup, RH, O, erlang:monotonic_time(millisecond) + TO) of
                    {ok, Sock, Ctrl} -> megaco:connect(RH, preliminary_mid, Sock, Ctrl);
                    E -> E
                end
        end,
    PrelCH =
        case Conn of
            {ok, CH0} ->
                emit(["STEP", "connect", "ok",
                      io_lib:format("~s mid=~s mgc=~s:~w encoding=~s version=~w",
                                    [T, fmt_mid(Mid), inet:ntoa(MgcHost), MgcPort,
                                     maps:get(encoding_name, O), Vsn])]),
                CH0;
            Err ->
                emit(["STEP", "connect", "error", fmt(Err)]),
                fatal(4, "cannot connect")
        end,
    NegVsn = register_with_mgc(PrelCH, O),
    serve(#{opts => O, vsn => NegVsn, mid => Mid, ctxs => #{}, next_ctx => 1, next_term => 1,
            subtracts_left => maps:get(subtracts, O), notified => not maps:get(notify, O),
            notify_sent => false}).

ip_opts({_, _, _, _} = A) -> [{ip, A}];
ip_opts(A) -> [inet6, {ip, A}].

%% The MGC may come up a moment after us: retry a refused connect until the timeout.
tcp_connect(Sup, RH, #{mgc_host := H, mgc_port := P, host := Local} = O, Until) ->
    case megaco_tcp:connect(Sup, [{host, H}, {port, P}, {receive_handle, RH},
                                  {tcp_options, ip_opts(Local)}]) of
        {ok, Sock, Ctrl} ->
            {ok, Sock, Ctrl};
        E ->
            case erlang:monotonic_time(millisecond) < Until of
                true -> timer:sleep(200), tcp_connect(Sup, RH, O, Until);
                false -> E
            end
    end.

fail(Step, Detail) ->
    emit(["STEP", Step, "error", Detail]),
    emit(["FAILED", Step]),
    halt(1).

%% ServiceChange Restart on ROOT (H.248.1 clause 7.2.8, 11.2): Reason 901 "Cold Boot", the version
%% we speak; the reply carries the version to use from now on (clause 11.3) when the MGC's is lower.
register_with_mgc(CH, #{version := Vsn, profile := Profile, timeout := TO, port := Port}) ->
    Parm = #'ServiceChangeParm'{serviceChangeMethod = restart,
                                serviceChangeReason = ["901"],
                                serviceChangeVersion = Vsn,
                                serviceChangeProfile = Profile,
                                serviceChangeAddress = {portNumber, Port}},
    Root = #megaco_term_id{id = ["root"]},
    Req = #'ActionRequest'{contextId = ?CTX_NULL,
                           commandRequests = [#'CommandRequest'{command = {serviceChangeReq,
                                                                           #'ServiceChangeRequest'{terminationID = [Root],
                                                                                                   serviceChangeParms = Parm}}}]},
    case h248_peer:bounded_call(CH, Vsn, [Req], TO) of
        {ok, [#'ActionReply'{errorDescriptor = asn1_NOVALUE,
                             commandReply = [{serviceChangeReply,
                                              #'ServiceChangeReply'{serviceChangeResult = Result}}]}]} ->
            case Result of
                {serviceChangeResParms, #'ServiceChangeResParm'{serviceChangeVersion = RV,
                                                                serviceChangeMgcId = MgcId}} ->
                    Neg = case RV of asn1_NOVALUE -> Vsn; _ -> min(RV, Vsn) end,
                    [RealCH | _] = [C || C <- megaco:user_info(element(2, CH), connections)] ++ [CH],
                    case Neg < Vsn of
                        true -> _ = megaco:update_conn_info(RealCH, protocol_version, Neg);
                        false -> ok
                    end,
                    emit(["STEP", "register", "ok",
                          io_lib:format("mgc=~s version=~w replied-version=~s~s",
                                        [fmt_mid(element(3, RealCH)), Neg, fmt(RV),
                                         case MgcId of asn1_NOVALUE -> "";
                                             _ -> " mgcidtotry=" ++ fmt_mid(MgcId) end])]),
                    Neg;
                {errorDescriptor, #'ErrorDescriptor'{errorCode = E, errorText = X}} ->
                    fail("register", io_lib:format("code=~w text=~s", [E, fmt(X)]))
            end;
        {ok, [#'ActionReply'{errorDescriptor = #'ErrorDescriptor'{errorCode = E, errorText = X}}]} ->
            fail("register", io_lib:format("code=~w text=~s", [E, fmt(X)]));
        {error, #'ErrorDescriptor'{errorCode = E, errorText = X}} ->
            fail("register", io_lib:format("code=~w text=~s", [E, fmt(X)]));
        Other ->
            fail("register", "reason=" ++ fmt(Other))
    end.

%%--------------------------------------------------------------------------------------------
%% Serving the MGC: every event comes from a megaco callback (forward/3) or our notifier.

serve(#{subtracts_left := N, notified := true, opts := #{linger := L}} = S) when N =< 0 ->
    reregister(S),
    %% Let megaco send the last reply before the VM stops.
    timer:sleep(L),
    emit(["DONE"]),
    halt(0);
serve(#{opts := #{timeout := TO}} = S) ->
    receive
        {megaco_event, From, Ref, {request, CH, PV, ARs}} ->
            {Replies, S2} = lists:mapfoldl(fun(AR, Acc) -> action(CH, AR, Acc) end, S, ARs),
            %% megaco encodes a reply in the version of the request it answers.
            From ! {Ref, {discard_ack, h248_peer:fit(PV, Replies)}},
            serve(S2);
        {notify_result, Result} ->
            case Result of
                {ok, [#'ActionReply'{errorDescriptor = asn1_NOVALUE,
                                     commandReply = [{notifyReply, #'NotifyReply'{errorDescriptor = asn1_NOVALUE}}]}]} ->
                    emit(["STEP", "notify", "ok", "replied"]);
                Other ->
                    fail("notify", "reply=" ++ fmt(Other))
            end,
            serve(S#{notified := true})
    after TO ->
            fail(next_step(S), "timeout waiting for the MGC")
    end.

%% ServiceChange on ROOT once more (clause 7.2.8): Restart 901 or Disconnected 900, in the
%% negotiated version, on the connection the MGC knows.
reregister(#{opts := #{reregister := none}}) ->
    ok;
reregister(#{opts := #{reregister := Method, timeout := TO, port := Port}, vsn := Vsn, mid := Mid}) ->
    Reason = case Method of restart -> "901"; disconnected -> "900" end,
    Parm = #'ServiceChangeParm'{serviceChangeMethod = Method, serviceChangeReason = [Reason],
                                serviceChangeVersion = Vsn, serviceChangeAddress = {portNumber, Port}},
    Root = #megaco_term_id{id = ["root"]},
    Req = #'ActionRequest'{contextId = ?CTX_NULL,
                           commandRequests = [#'CommandRequest'{command = {serviceChangeReq,
                                                                           #'ServiceChangeRequest'{terminationID = [Root],
                                                                                                   serviceChangeParms = Parm}}}]},
    [CH | _] = megaco:user_info(Mid, connections),
    case h248_peer:bounded_call(CH, Vsn, [Req], TO) of
        {ok, [#'ActionReply'{errorDescriptor = asn1_NOVALUE,
                             commandReply = [{serviceChangeReply,
                                              #'ServiceChangeReply'{serviceChangeResult = {serviceChangeResParms, _}}}]}]} ->
            emit(["STEP", "reregister", "ok", io_lib:format("method=~w reason=~s", [Method, Reason])]);
        Other ->
            fail("reregister", "reply=" ++ fmt(Other))
    end.

next_step(#{subtracts_left := N}) when N > 0 -> "subtract";
next_step(_) -> "notify".

action(CH, #'ActionRequest'{contextId = Ctx, commandRequests = CRs}, S) ->
    commands(CH, Ctx, [Cmd || #'CommandRequest'{command = Cmd} <- CRs], [], S).

%% Commands of one action in order; the first error ends the action (H.248.1 clause 8.2.2: the
%% reply carries the replies so far and the error).
commands(_CH, Ctx, [], Acc, S) ->
    {#'ActionReply'{contextId = Ctx, commandReply = lists:reverse(Acc)}, S};
commands(CH, Ctx, [Cmd | Rest], Acc, S) ->
    case command(CH, Ctx, Cmd, S) of
        {ok, Ctx2, Reply, S2} ->
            commands(CH, Ctx2, Rest, [Reply | Acc], S2);
        {error, Step, Code, Text} ->
            emit(["STEP", Step, "error", io_lib:format("context=~s code=~w text=~s", [fmt_ctx(Ctx), Code, Text])]),
            {#'ActionReply'{contextId = Ctx, commandReply = lists:reverse(Acc),
                            errorDescriptor = #'ErrorDescriptor'{errorCode = Code, errorText = Text}}, S}
    end.

%% Add (clause 7.2.1): "$" context -> a new one, "$" termination -> a new ephemeral one.
command(CH, Ctx0, {addReq, #'AmmRequest'{terminationID = [Tid0], descriptors = Ds}}, S) ->
    #{ctxs := Ctxs, next_ctx := NC} = S,
    case Ctx0 of
        ?CTX_CHOOSE -> add(CH, NC, Tid0, Ds, S#{next_ctx := NC + 1, ctxs := Ctxs#{NC => #{}}});
        ?CTX_NULL -> {error, "add", 421, "Unknown action or illegal combination of actions"};
        ?CTX_ALL -> {error, "add", 421, "Unknown action or illegal combination of actions"};
        _ when is_map_key(Ctx0, Ctxs) -> add(CH, Ctx0, Tid0, Ds, S);
        _ -> {error, "add", 411, "The transaction refers to an unknown ContextId"}
    end;
command(_CH, Ctx, {modReq, #'AmmRequest'{terminationID = [Tid], descriptors = Ds}}, S) ->
    case lookup(Ctx, Tid, S) of
        {ok, Term} ->
            Term2 = apply_media(Ds, Term),
            emit(["STEP", "modify", "ok",
                  io_lib:format("context=~s termination=~s mode=~s",
                                [fmt_ctx(Ctx), fmt_tid(Tid), h248_peer:mode_name(maps:get(mode, Term2))])]),
            {ok, Ctx, {modReply, #'AmmsReply'{terminationID = [Tid]}}, store(Ctx, Tid, Term2, S)};
        {error, Code, Text} ->
            {error, "modify", Code, Text}
    end;
%% AuditValue (clause 7.2.5): the media descriptor as it stands, whatever was asked for.
command(_CH, Ctx, {auditValueRequest, #'AuditRequest'{terminationID = Tid}}, S) ->
    case lookup(Ctx, Tid, S) of
        {ok, Term} ->
            emit(["STEP", "audit", "ok",
                  io_lib:format("context=~s termination=~s mode=~s",
                                [fmt_ctx(Ctx), fmt_tid(Tid), h248_peer:mode_name(maps:get(mode, Term))])]),
            {ok, Ctx, {auditValueReply,
                       {auditResult, #'AuditResult'{terminationID = Tid,
                                                    terminationAuditResult = [{mediaDescriptor, media(Term, true)}]}}}, S};
        {error, Code, Text} ->
            {error, "audit", Code, Text}
    end;
%% Subtract (clause 7.2.3): the context is deleted with its last termination.
command(_CH, Ctx, {subtractReq, #'SubtractRequest'{terminationID = [Tid]}}, S) ->
    case lookup(Ctx, Tid, S) of
        {ok, _} ->
            #{ctxs := Ctxs} = S,
            Terms = maps:remove(Tid, maps:get(Ctx, Ctxs)),
            Ctxs2 = case map_size(Terms) of 0 -> maps:remove(Ctx, Ctxs); _ -> Ctxs#{Ctx := Terms} end,
            emit(["STEP", "subtract", "ok",
                  io_lib:format("context=~s termination=~s context-deleted=~w",
                                [fmt_ctx(Ctx), fmt_tid(Tid), map_size(Terms) =:= 0])]),
            {ok, Ctx, {subtractReply, #'AmmsReply'{terminationID = [Tid]}},
             S#{ctxs := Ctxs2, subtracts_left := maps:get(subtracts_left, S) - 1}};
        {error, Code, Text} ->
            {error, "subtract", Code, Text}
    end;
command(_CH, _Ctx, Cmd, _S) ->
    {error, "command", 501, "Not Implemented: " ++ atom_to_list(element(1, Cmd))}.

add(CH, Ctx, Tid0, Ds, S) ->
    #{next_term := NT, opts := #{host := Host}} = S,
    {Tid, S2} =
        case Tid0 of
            #megaco_term_id{id = ["$"]} ->
                {#megaco_term_id{id = ["msrp", integer_to_list(NT)]}, S#{next_term := NT + 1}};
            _ ->
                {Tid0, S}
        end,
    MediaPort = ?FIRST_MEDIA_PORT + NT,
    Term0 = #{mode => sendRecv, remote => asn1_NOVALUE, local => asn1_NOVALUE},
    Term1 = apply_media(Ds, Term0),
    Term = Term1#{local := fill_local(maps:get(local, Term1), Host, MediaPort)},
    emit(["STEP", "add", "ok",
          io_lib:format("context=~s termination=~s local=~s:~w remote=~s mode=~s",
                        [fmt_ctx(Ctx), fmt_tid(Tid), inet:ntoa(Host), MediaPort,
                         h248_peer:sdp_addr(maps:get(remote, Term)), h248_peer:mode_name(maps:get(mode, Term))])]),
    S3 = store(Ctx, Tid, Term, S2),
    S4 = maybe_notify(CH, Ctx, Tid, S3),
    {ok, Ctx, {addReply, #'AmmsReply'{terminationID = [Tid],
                                       terminationAudit = [{mediaDescriptor, media(Term, false)}]}}, S4}.

%% One Notify after the first Add (clause 7.2.7), sent from its own process a moment after the Add
%% reply has gone, so that the MGC knows the context before it hears about it.
maybe_notify(CH, Ctx, Tid, #{notify_sent := false, notified := false, vsn := Vsn, opts := #{timeout := TO}} = S) ->
    Main = self(),
    Ev = #'ObservedEvent'{eventName = "g/cause",
                          eventParList = [#'EventParameter'{eventParameterName = "generalcause",
                                                            value = ["NR"]}],
                          timeNotation = now_notation()},
    Req = #'ActionRequest'{contextId = Ctx,
                           commandRequests = [#'CommandRequest'{command = {notifyReq,
                                                                           #'NotifyRequest'{terminationID = [Tid],
                                                                                            observedEventsDescriptor =
                                                                                                #'ObservedEventsDescriptor'{requestId = 1,
                                                                                                                            observedEventLst = [Ev]}}}}]},
    spawn(fun() ->
                  timer:sleep(100),
                  emit(["INFO", "notify-sent", io_lib:format("context=~s termination=~s", [fmt_ctx(Ctx), fmt_tid(Tid)])]),
                  Main ! {notify_result, h248_peer:bounded_call(CH, Vsn, [Req], TO)}
          end),
    S#{notify_sent := true};
maybe_notify(_CH, _Ctx, _Tid, S) ->
    S.

%% TimeNotation "yyyymmddThhmmssss" (H.248.1 Annex B.2 / clause 7.1.17), UTC.
now_notation() ->
    {{Y, Mo, D}, {H, Mi, Se}} = calendar:universal_time(),
    #'TimeNotation'{date = lists:flatten(io_lib:format("~4..0w~2..0w~2..0w", [Y, Mo, D])),
                    time = lists:flatten(io_lib:format("~2..0w~2..0w~2..0w00", [H, Mi, Se]))}.

lookup(Ctx, Tid, #{ctxs := Ctxs}) ->
    case Ctxs of
        #{Ctx := Terms} ->
            case Terms of
                #{Tid := T} -> {ok, T};
                _ -> {error, 435, "Termination ID is not in specified Context"}
            end;
        _ ->
            {error, 411, "The transaction refers to an unknown ContextId"}
    end.

store(Ctx, Tid, Term, #{ctxs := Ctxs} = S) ->
    S#{ctxs := Ctxs#{Ctx => (maps:get(Ctx, Ctxs, #{}))#{Tid => Term}}}.

%% Take mode, Local and Remote from the media descriptors of a request.
apply_media(Ds, Term) ->
    lists:foldl(fun({mediaDescriptor, MD}, T) ->
                        case h248_peer:stream_parms(MD) of
                            #'StreamParms'{localControlDescriptor = LCD, localDescriptor = L,
                                           remoteDescriptor = R} ->
                                T1 = case LCD of
                                         #'LocalControlDescriptor'{streamMode = M} when M =/= asn1_NOVALUE -> T#{mode := M};
                                         _ -> T
                                     end,
                                T2 = case L of asn1_NOVALUE -> T1; _ -> T1#{local := L} end,
                                case R of asn1_NOVALUE -> T2; _ -> T2#{remote := R} end;
                            _ ->
                                T
                        end;
                   (_, T) -> T
                end, Term, Ds).

%% Local SDP with our own address and port where the MGC wrote "$" (clause 7.1.8), and an MSRP
%% path (RFC 4975) of our own; without a requested Local descriptor, a complete one.
fill_local(asn1_NOVALUE, Host, Port) ->
    fill_local(h248_peer:sdp([{"v", "0"}, {"c", "IN IP4 $"}, {"m", "message $ TCP/MSRP *"}]), Host, Port);
fill_local(#'LocalRemoteDescriptor'{propGrps = [Grp | _]}, Host, Port) ->
    HostS = inet:ntoa(Host),
    IpVer = case Host of {_, _, _, _} -> "IP4"; _ -> "IP6" end,
    Lines = [{N, case N of
                     "c" -> "IN " ++ IpVer ++ " " ++ HostS;
                     "m" -> flat(string:replace(V, "$", integer_to_list(Port)));
                     _ -> V
                 end} || #'PropertyParm'{name = N, value = [V | _]} <- Grp],
    Path = {"a", "path:msrp://" ++ HostS ++ ":" ++ integer_to_list(Port) ++ "/h248mg" ++ integer_to_list(Port) ++ ";tcp"},
    h248_peer:sdp(Lines ++ [Path]).

flat(X) -> lists:flatten(X).

media(#{mode := M, local := L, remote := R}, WithControl) ->
    LCD = case WithControl of
              true -> #'LocalControlDescriptor'{streamMode = M};
              false -> asn1_NOVALUE
          end,
    #'MediaDescriptor'{streams = {oneStream, #'StreamParms'{localControlDescriptor = LCD,
                                                            localDescriptor = L,
                                                            remoteDescriptor = case WithControl of true -> R; false -> asn1_NOVALUE end}}}.

%%--------------------------------------------------------------------------------------------
%% What h248_peer's megaco callbacks ask of this peer

other_end() -> "mgc".

trans_request(CH, PV, ARs) ->
    h248_peer:forward(?MAIN, {request, CH, PV, h248_peer:widen(ARs)},
                      {discard_ack, #'ErrorDescriptor'{errorCode = 500, errorText = "Internal software failure"}}).
