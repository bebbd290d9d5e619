%% h248_peer: what h248_mgc and h248_mg share - option parsing, the one-line output, the run
%% deadline, megaco user configuration, transports, and the version fitting of message records.
%%
%% Output: one line per event, fields separated by a TAB, printable ASCII only, written by emit/1.
%% Everything else Erlang would say (logger reports from the megaco application) goes to stderr,
%% so that a driver reading stdout sees only our lines.

-module(h248_peer).

-include("h248_peer.hrl").

-export([parse_args/2, emit/1, fatal/2, start_watchdog/1, quiet_logger/0,
         encoding_mod/1, parse_host/1, mid/2, fmt_mid/1, fmt_tid/1, fmt_ctx/1, fmt/1,
         user_config/3, start_megaco_user/4, fit/2, widen/1, bounded_call/4,
         sdp/1, sdp_get/2, sdp_addr/1, stream_parms/1, media_local/1, media_mode/1, mode_name/1,
         parse_mode/1, forward/3]).
%% megaco user callbacks (megaco_user behaviour) for both peers: user_args is [Role], the peer module.
-export([handle_connect/3, handle_disconnect/4, handle_syntax_error/4, handle_message_error/4,
         handle_trans_request/4, handle_trans_long_request/4, handle_trans_reply/5,
         handle_trans_ack/5, handle_unexpected_trans/4, handle_trans_request_abort/5,
         handle_segment_reply/6]).

%%--------------------------------------------------------------------------------------------
%% Options: "--name value" pairs over a map of defaults; every default's key is a valid option.

parse_args(Args, Defaults) ->
    parse_args1(Args, Defaults).

parse_args1([], Acc) ->
    {ok, Acc};
parse_args1(["--" ++ Name, Value | Rest], Acc) ->
    Key = list_to_atom(Name),
    case maps:is_key(Key, Acc) of
        true -> parse_args1(Rest, Acc#{Key => Value});
        false -> {error, "unknown option --" ++ Name}
    end;
parse_args1([Bad | _], _) ->
    {error, "bad argument " ++ Bad}.

%%--------------------------------------------------------------------------------------------
%% Output

emit(Fields) ->
    Line = lists:join("\t", [printable(fmt(F)) || F <- Fields]),
    io:put_chars(standard_io, [Line, $\n]).

%% Keep a line one line: tabs and newlines inside a field would break the format.
printable(S) ->
    [case C of
         $\t -> $\s;
         $\n -> $\s;
         $\r -> $\s;
         _ when C >= 32, C < 127 -> C;
         _ -> $?
     end || C <- lists:flatten(S)].

fmt(S) when is_list(S) ->
    %% Text from io_lib:format is a deep list of characters: flatten it; any other list is a term.
    Flat = try lists:flatten(S) catch _:_ -> S end,
    case io_lib:printable_latin1_list(Flat) of
        true -> Flat;
        false -> lists:flatten(io_lib:format("~0p", [S]))
    end;
fmt(A) when is_atom(A) -> atom_to_list(A);
fmt(I) when is_integer(I) -> integer_to_list(I);
fmt(B) when is_binary(B) -> binary_to_list(B);
fmt(T) -> lists:flatten(io_lib:format("~0p", [T])).

%% Print a FATAL line and stop the VM: halt/1 ends every process, the megaco ones included.
fatal(Status, Why) ->
    emit(["FATAL", Why]),
    halt(Status).

%% The whole run is bounded: whatever else hangs, the VM stops at the deadline with status 3.
start_watchdog(DeadlineMs) ->
    spawn(fun() ->
                  receive after DeadlineMs -> fatal(3, "deadline " ++ integer_to_list(DeadlineMs) ++ " ms") end
          end).

%% Logger reports go to stderr so that stdout carries only our lines.
quiet_logger() ->
    _ = logger:remove_handler(default),
    _ = logger:add_handler(default, logger_std_h,
                           #{config => #{type => standard_error}, level => warning}),
    ok.

%%--------------------------------------------------------------------------------------------
%% Addresses and names

encoding_mod("pretty") -> {ok, megaco_pretty_text_encoder};
encoding_mod("compact") -> {ok, megaco_compact_text_encoder};
encoding_mod(_) -> error.

%% Loopback only: anything else is refused, so a test can never talk to the outside.
parse_host(S) ->
    case inet:parse_address(S) of
        {ok, {127, _, _, _} = A} -> {ok, A};
        {ok, {0, 0, 0, 0, 0, 0, 0, 1} = A} -> {ok, A};
        {ok, _} -> {error, "not a loopback address: " ++ S};
        _ -> {error, "bad address: " ++ S}
    end.

%% A message identifier of the address form, "[127.0.0.1]:2944" (H.248.1 clause 7.2.8 mId).
mid({_, _, _, _} = A, Port) ->
    {ip4Address, #'IP4Address'{address = tuple_to_list(A), portNumber = Port}};
mid(A, Port) ->
    Bytes = lists:append([[W bsr 8, W band 255] || W <- tuple_to_list(A)]),
    {ip6Address, #'IP6Address'{address = Bytes, portNumber = Port}}.

fmt_mid({ip4Address, {'IP4Address', A, P}}) ->
    "[" ++ inet:ntoa(list_to_tuple(A)) ++ "]" ++ port_suffix(P);
fmt_mid({ip6Address, {'IP6Address', A, P}}) ->
    Words = words(A),
    "[" ++ inet:ntoa(list_to_tuple(Words)) ++ "]" ++ port_suffix(P);
fmt_mid({domainName, {'DomainName', N, P}}) ->
    "<" ++ N ++ ">" ++ port_suffix(P);
fmt_mid({deviceName, N}) -> N;
fmt_mid(Other) -> fmt(Other).

words([H, L | T]) -> [H * 256 + L | words(T)];
words([]) -> [].

port_suffix(asn1_NOVALUE) -> "";
port_suffix(P) -> ":" ++ integer_to_list(P).

fmt_tid(#megaco_term_id{id = Levels}) -> lists:join("/", Levels);
fmt_tid([T]) -> fmt_tid(T);
fmt_tid(Ts) when is_list(Ts) -> lists:join(",", [fmt_tid(T) || T <- Ts]);
fmt_tid(Other) -> fmt(Other).

fmt_ctx(?CTX_NULL) -> "-";
fmt_ctx(?CTX_CHOOSE) -> "$";
fmt_ctx(?CTX_ALL) -> "*";
fmt_ctx(N) -> integer_to_list(N).

%%--------------------------------------------------------------------------------------------
%% megaco user

%% Timers: over UDP megaco retransmits a request itself (H.248.1 Annex D.1); start at 1 s and
%% double, three resends. Over TCP there is no retransmission (Annex D.2), one plain timeout.
%% The record is megaco's #megaco_incr_timer{wait_for, factor, incr, max_retries}.
user_config(Transport, Opts, Role) ->
    #{encoding := Enc, version := Vsn, timeout := TimeoutMs} = Opts,
    {SendMod, ReqTimer} =
        case Transport of
            udp -> {megaco_udp, {megaco_incr_timer, 1000, 2, 0, 3}};
            tcp -> {megaco_tcp, TimeoutMs}
        end,
    [{send_mod, SendMod}, {encoding_mod, Enc}, {encoding_config, []},
     {protocol_version, Vsn}, {user_mod, ?MODULE}, {user_args, [Role]},
     {request_timer, ReqTimer}, {long_request_timer, 3 * TimeoutMs},
     {reply_timer, 3 * TimeoutMs}].

start_megaco_user(Mid, Transport, Opts, Role) ->
    ok = megaco:start(),
    ok = megaco:start_user(Mid, user_config(Transport, Opts, Role)),
    megaco:user_info(Mid, receive_handle).

%%--------------------------------------------------------------------------------------------
%% Version fitting (see h248_peer.hrl). Tuple sizes, tag included, of the records that grew.

sizes('ServiceChangeParm') -> {10, 11, 12};
sizes('StreamParms') -> {4, 4, 5};
sizes('AuditDescriptor') -> {2, 3, 3};
sizes('AuditRequest') -> {3, 3, 4};
sizes('TerminationStateDescriptor') -> {4, 4, 4};
sizes(_) -> none.

%% Trim every record to the size version Vsn's encoder matches on.
fit(Vsn, T) when is_tuple(T), tuple_size(T) > 0, is_atom(element(1, T)) ->
    T1 = list_to_tuple([fit(Vsn, E) || E <- tuple_to_list(T)]),
    case sizes(element(1, T)) of
        none -> T1;
        S -> resize(T1, element(Vsn, S))
    end;
fit(Vsn, T) when is_tuple(T) ->
    list_to_tuple([fit(Vsn, E) || E <- tuple_to_list(T)]);
fit(Vsn, [H | T]) -> [fit(Vsn, H) | fit(Vsn, T)];
fit(_, T) -> T.

%% Pad every received record to the v3 size our records have.
widen(T) -> fit(3, T).

resize(T, N) when tuple_size(T) =:= N -> T;
resize(T, N) when tuple_size(T) > N -> list_to_tuple(lists:sublist(tuple_to_list(T), N));
resize(T, N) -> list_to_tuple(tuple_to_list(T) ++ lists:duplicate(N - tuple_size(T), asn1_NOVALUE)).

%% megaco:call/3 waits as long as the request timer lets it; bound it by our own timeout too.
%% Returns {ok, [ActionReply]} (widened) | {error, Reason}.
bounded_call(CH, Vsn, Actions, TimeoutMs) ->
    Self = self(),
    {Pid, Ref} = spawn_monitor(fun() -> Self ! {self(), catch megaco:call(CH, fit(Vsn, Actions), [])} end),
    receive
        {Pid, {_V, {ok, Replies}}} when is_list(Replies) ->
            erlang:demonitor(Ref, [flush]),
            {ok, widen(Replies)};
        {Pid, {_V, {error, Reason}}} ->
            erlang:demonitor(Ref, [flush]),
            {error, widen(Reason)};
        {Pid, Other} ->
            erlang:demonitor(Ref, [flush]),
            {error, Other};
        {'DOWN', Ref, process, Pid, Why} ->
            {error, {call_died, Why}}
    after TimeoutMs ->
            exit(Pid, kill),
            erlang:demonitor(Ref, [flush]),
            {error, timeout}
    end.

%% A megaco callback runs in a process of megaco's; hand the event to the peer's main process
%% (registered as Name) and wait, bounded, for its answer. Default when the main process is gone
%% or silent.
forward(Name, Event, Default) ->
    case whereis(Name) of
        undefined ->
            Default;
        Pid ->
            Ref = make_ref(),
            Pid ! {megaco_event, self(), Ref, Event},
            receive {Ref, Answer} -> Answer after 10000 -> Default end
    end.

%%--------------------------------------------------------------------------------------------
%% SDP in a Local/Remote descriptor (H.248.1 clause 7.1.8): one property group of SDP lines.

sdp(Lines) ->
    #'LocalRemoteDescriptor'{propGrps = [[#'PropertyParm'{name = N, value = [V]} || {N, V} <- Lines]]}.

sdp_get(Name, #'LocalRemoteDescriptor'{propGrps = [Grp | _]}) ->
    case [V || #'PropertyParm'{name = N, value = [V | _]} <- Grp, N =:= Name] of
        [V | _] -> V;
        [] -> undefined
    end;
sdp_get(_, _) -> undefined.

%% "address:port" from the c= and m= lines, for the output lines.
sdp_addr(#'LocalRemoteDescriptor'{} = L) ->
    Addr = case sdp_get("c", L) of
               undefined -> "?";
               C -> lists:last(string:lexemes(C, " "))
           end,
    Port = case sdp_get("m", L) of
               undefined -> "?";
               M -> case string:lexemes(M, " ") of [_, P | _] -> P; _ -> "?" end
           end,
    Addr ++ ":" ++ Port;
sdp_addr(_) -> "none".

%% The StreamParms of a media descriptor, single stream or stream 1 of several.
stream_parms(#'MediaDescriptor'{streams = {oneStream, SP}}) -> SP;
stream_parms(#'MediaDescriptor'{streams = {multiStream, [#'StreamDescriptor'{streamParms = SP} | _]}}) -> SP;
stream_parms(_) -> undefined.

media_local(MD) ->
    case stream_parms(MD) of
        #'StreamParms'{localDescriptor = L} -> L;
        _ -> undefined
    end.

media_mode(MD) ->
    case stream_parms(MD) of
        #'StreamParms'{localControlDescriptor = #'LocalControlDescriptor'{streamMode = M}} -> M;
        _ -> asn1_NOVALUE
    end.

%% StreamMode names as in the text encoding (H.248.1 clause 7.1.7).
mode_name(sendOnly) -> "SendOnly";
mode_name(recvOnly) -> "ReceiveOnly";
mode_name(sendRecv) -> "SendReceive";
mode_name(inactive) -> "Inactive";
mode_name(loopBack) -> "LoopBack";
mode_name(asn1_NOVALUE) -> "none";
mode_name(M) -> fmt(M).

parse_mode("sendonly") -> {ok, sendOnly};
parse_mode("recvonly") -> {ok, recvOnly};
parse_mode("sendrecv") -> {ok, sendRecv};
parse_mode("inactive") -> {ok, inactive};
parse_mode("loopback") -> {ok, loopBack};
parse_mode(_) -> error.

%%--------------------------------------------------------------------------------------------
%% megaco callbacks. megaco calls them here with the peer module (Role) as last argument: a
%% transaction request is the role's business (Role:trans_request/3); everything else both peers
%% answer alike, naming the other end as Role:other_end/0 says ("mg" or "mgc").

handle_connect(CH, PV, Role) ->
    emit(["INFO", "connect", io_lib:format("~s=~s version=~w", [Role:other_end(), fmt_mid(element(3, CH)), PV])]),
    ok.

handle_disconnect(CH, _PV, Reason, Role) ->
    emit(["INFO", "disconnect", io_lib:format("~s=~s reason=~0p", [Role:other_end(), fmt_mid(element(3, CH)), Reason])]),
    _ = megaco:cancel(CH, Reason),
    ok.

handle_syntax_error(_RH, PV, ED, _Role) ->
    emit(["INFO", "syntax-error", io_lib:format("version=~w ~0p", [PV, ED])]),
    reply.

handle_message_error(_CH, PV, ED, _Role) ->
    emit(["INFO", "message-error", io_lib:format("version=~w ~0p", [PV, ED])]),
    no_reply.

handle_trans_request(CH, PV, ARs, Role) ->
    Role:trans_request(CH, PV, ARs).

handle_trans_long_request(_CH, _PV, _ReqData, _Role) ->
    {discard_ack, #'ErrorDescriptor'{errorCode = 500, errorText = "unexpected long request"}}.

handle_trans_reply(_CH, _PV, _Reply, _ReplyData, _Role) -> ok.
handle_trans_ack(_CH, _PV, _AckStatus, _AckData, _Role) -> ok.

handle_unexpected_trans(_CH, PV, Trans, _Role) ->
    emit(["INFO", "unexpected-trans", io_lib:format("version=~w ~0p", [PV, Trans])]),
    ok.

handle_trans_request_abort(_CH, _PV, _TransId, _Pid, _Role) -> ok.
handle_segment_reply(_CH, _PV, _TransId, _SN, _SC, _Role) -> ok.
