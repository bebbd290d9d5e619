%% h248_oracle: Erlang/OTP megaco as an outside oracle for our H.248 text codec.
%%
%% Batch mode, so that one VM start serves hundreds of messages:
%%
%%   erlc -o /tmp/h248 tests/erlang/h248_oracle.erl
%%   erl -noshell -noinput -pa /tmp/h248 -run h248_oracle main MODE MANIFEST
%%
%% MANIFEST holds one job per line, fields separated by a TAB (blank lines are skipped):
%%
%%   decode  ID  PATH                  -> OK ID | ERR ID reason
%%   equal   ID  PATH_A  PATH_B        -> EQUAL ID | DIFF ID where | ERR ID side: reason
%%   encode  ID  IN  OUT  pretty|compact -> OK ID | ERR ID reason   (writes OUT)
%%
%% Every result is one line, fields separated by a TAB, printable ASCII only. The last line is
%% DONE <TAB> count. A bad job never stops the batch: each runs in its own process, bounded in time
%% and heap. Exit status 0 when the batch ran (whatever the jobs said), 2 on a usage or manifest
%% error, 3 when the megaco application is missing.
%%
%% The style of a message is taken from its header (MEGACO/ = pretty, !/ = compact) and the matching
%% encoder module decodes it, with the encoding config [] (Erlang's plain scanner, no flex driver).

-module(h248_oracle).

-export([main/1]).

-define(JOB_TIMEOUT_MS, 10000).
%% 64 M words (512 MB on 64-bit) per job: far beyond any real message, but stops a runaway.
-define(JOB_MAX_HEAP_WORDS, 64 * 1024 * 1024).
-define(REASON_MAX_CHARS, 300).

main([Mode, Manifest]) ->
    case code:ensure_loaded(megaco_pretty_text_encoder) of
        {module, _} ->
            run(Mode, Manifest);
        _ ->
            emit(["FATAL", "megaco application not found (apt-get install erlang-megaco)"]),
            stop(3)
    end;
main(Args) ->
    emit(["FATAL", "usage: h248_oracle main decode|equal|encode MANIFEST, got " ++ brief(Args)]),
    stop(2).

run(Mode, Manifest) when Mode =:= "decode"; Mode =:= "equal"; Mode =:= "encode" ->
    case file:read_file(Manifest) of
        {ok, Bin} ->
            Jobs = [binary:split(L, <<"\t">>, [global])
                    || L0 <- binary:split(Bin, [<<"\n">>], [global]),
                       L <- [string:trim(L0, trailing, "\r")],
                       L =/= <<>>],
            Count = lists:foldl(fun(Job, N) -> run_job(Mode, Job), N + 1 end, 0, Jobs),
            emit(["DONE", integer_to_list(Count)]),
            stop(0);
        {error, Reason} ->
            emit(["FATAL", "cannot read manifest: " ++ brief(Reason)]),
            stop(2)
    end;
run(Mode, _Manifest) ->
    emit(["FATAL", "unknown mode " ++ brief(Mode)]),
    stop(2).

%% init:stop/1 rather than halt/1, so that everything printed reaches stdout before the VM exits.
stop(Status) ->
    init:stop(Status).

run_job(Mode, [Id | Fields]) ->
    emit(guarded(Id, fun() -> job(Mode, Id, Fields) end));
run_job(_Mode, []) ->
    ok.

job("decode", Id, [Path]) ->
    case decode_file(Path) of
        {ok, _Term} -> ["OK", Id];
        {error, Reason} -> ["ERR", Id, Reason]
    end;
job("equal", Id, [PathA, PathB]) ->
    case {decode_file(PathA), decode_file(PathB)} of
        {{ok, A}, {ok, B}} ->
            case first_difference(normalise(A), normalise(B)) of
                equal -> ["EQUAL", Id];
                {diff, Where} -> ["DIFF", Id, Where]
            end;
        {{error, Reason}, _} ->
            ["ERR", Id, "A: " ++ Reason];
        {_, {error, Reason}} ->
            ["ERR", Id, "B: " ++ Reason]
    end;
job("encode", Id, [In, Out, Style]) when Style =:= <<"pretty">>; Style =:= <<"compact">> ->
    case decode_file(In) of
        {ok, Term} ->
            case catch (encoder(Style)):encode_message([], Term) of
                {ok, Bin} when is_binary(Bin) ->
                    case file:write_file(Out, Bin) of
                        ok -> ["OK", Id];
                        {error, Reason} -> ["ERR", Id, "write: " ++ brief(Reason)]
                    end;
                Other ->
                    ["ERR", Id, "encode: " ++ brief(Other)]
            end;
        {error, Reason} ->
            ["ERR", Id, "decode: " ++ Reason]
    end;
job(Mode, Id, Fields) ->
    ["ERR", Id, "bad manifest line for " ++ Mode ++ ": " ++ brief(Fields)].

%% Runs one job in a fresh process, so a crash, a loop or a heap explosion costs only that job.
guarded(Id, Fun) ->
    Parent = self(),
    Ref = make_ref(),
    {Pid, Mon} = spawn_opt(
        fun() ->
            Result = try Fun()
                     catch Class:Reason -> ["ERR", Id, brief({Class, Reason})]
                     end,
            Parent ! {Ref, Result}
        end,
        [monitor, {max_heap_size, #{size => ?JOB_MAX_HEAP_WORDS, kill => true,
                                    error_logger => false}}]),
    receive
        {Ref, Result} ->
            erlang:demonitor(Mon, [flush]),
            Result;
        {'DOWN', Mon, process, Pid, Why} ->
            ["ERR", Id, "job died: " ++ brief(Why)]
    after ?JOB_TIMEOUT_MS ->
        exit(Pid, kill),
        erlang:demonitor(Mon, [flush]),
        ["ERR", Id, "job timed out"]
    end.

decode_file(Path) ->
    case file:read_file(Path) of
        {ok, Bin} -> decode(Bin);
        {error, Reason} -> {error, "read " ++ to_text(Path) ++ ": " ++ brief(Reason)}
    end.

decode(Bin) ->
    case header(Bin) of
        {ok, Style, Version} ->
            case catch (encoder(Style)):decode_message([], Version, Bin) of
                {ok, Term} -> {ok, Term};
                {error, Reason} -> {error, decode_reason(Reason)};
                Other -> {error, brief(Other)}
            end;
        error ->
            {error, "no MEGACO/ or !/ header"}
    end.

%% The header is the first "MEGACO/" (pretty) or "!/" (compact) in the text; whatever comes first
%% wins, so leading comments, white space and an authentication header do not confuse it.
header(Bin) ->
    Pretty = binary:match(<< <<(lower(C))>> || <<C>> <= Bin >>, <<"megaco/">>),
    Compact = binary:match(Bin, <<"!/">>),
    case {Pretty, Compact} of
        {nomatch, nomatch} -> error;
        {{P, L}, nomatch} -> version(<<"pretty">>, Bin, P + L);
        {nomatch, {C, L}} -> version(<<"compact">>, Bin, C + L);
        {{P, L}, {C, _}} when P < C -> version(<<"pretty">>, Bin, P + L);
        {_, {C, L}} -> version(<<"compact">>, Bin, C + L)
    end.

version(Style, Bin, At) ->
    Digits = [D || <<D>> <= binary:part(Bin, At, min(3, byte_size(Bin) - At))],
    case string:to_integer(Digits) of
        {V, _} when is_integer(V) -> {ok, Style, V};
        _ -> {ok, Style, dynamic}
    end.

%% Byte-wise, so text that is not UTF-8 cannot make the header search itself fail.
lower(C) when C >= $A, C =< $Z -> C + 32;
lower(C) -> C.

encoder(<<"pretty">>) -> megaco_pretty_text_encoder;
encoder(<<"compact">>) -> megaco_compact_text_encoder.

%% Erlang's decode errors carry the whole token list and text; keep only the reason and line.
decode_reason([{reason, Reason, Line} | _]) ->
    "line " ++ brief(Line) ++ ": " ++ brief(Reason);
decode_reason([{reason, Reason} | _]) ->
    brief(Reason);
decode_reason(Reason) ->
    brief(Reason).

%% Normalisation before comparing, kept to what the text encoding itself says is not significant.
%% Erlang's own scanner already folds what else is not (keyword and unquoted-name case, long versus
%% short tokens, comments, white space between tokens, quotes around values, CRLF versus LF in SDP,
%% indentation before SDP lines, leading and trailing white space of an octet string). Only one thing
%% remains:
%%
%%  - DigitMapValue.digitMapBody: Erlang keeps the body between the braces verbatim, white space and
%%    line breaks included, yet H.248.1 Annex B digitMap allows LWSP around every element of the
%%    digit string list ("(0| 00|1x)" is "(0|00|1x)"), and our model keeps the body without them.
%%    So SP, HTAB, CR and LF are removed from the body. Comments inside a body are not removed
%%    (never seen in practice).
%%
%%  - AuditDescriptor.auditToken: H.248.1 Annex A makes it a BIT STRING, a set; Erlang's text decoder
%%    gives it as a list in the order written, our model as flags. So the list is sorted.
%%
%% Deliberately not normalised: SDP line values (trailing blanks included: they are part of the
%% value), the order of descriptors, parameters and SDP lines, empty versus absent descriptors, and
%% the case of quoted strings.
normalise({'DigitMapValue', _, _, _, Body, _} = DMV) when is_list(Body) ->
    setelement(5, DMV, [C || C <- Body, not lists:member(C, " \t\r\n")]);
normalise({'DigitMapValue', _, _, _, Body} = DMV) when is_list(Body) ->
    setelement(5, DMV, [C || C <- Body, not lists:member(C, " \t\r\n")]);
normalise({'AuditDescriptor', Tokens, Props}) when is_list(Tokens) ->
    {'AuditDescriptor', lists:sort(Tokens), normalise(Props)};
normalise({'AuditDescriptor', Tokens}) when is_list(Tokens) ->
    {'AuditDescriptor', lists:sort(Tokens)};
normalise(T) when is_tuple(T) ->
    list_to_tuple([normalise(E) || E <- tuple_to_list(T)]);
normalise(L) when is_list(L) ->
    [normalise(E) || E <- L];
normalise(X) ->
    X.

%% The path to the first differing subterm: records by tag and field name (taken from the debug
%% info of Erlang's encoder for the message's version; by position if that is missing), list
%% elements by [index] from 0.
first_difference(A, B) ->
    Fields = record_fields(message_version(A)),
    first_difference(A, B, Fields, []).

first_difference(A, A, _Fields, _Path) ->
    equal;
first_difference(A, B, Fields, Path) when is_tuple(A), is_tuple(B),
                                          tuple_size(A) =:= tuple_size(B), tuple_size(A) > 0,
                                          element(1, A) =:= element(1, B) ->
    Tag = element(1, A),
    Names = maps:get({Tag, tuple_size(A)}, Fields, none),
    Step = fun(I) when Names =/= none -> atom_to_list(Tag) ++ "." ++ atom_to_list(lists:nth(I - 1, Names));
              (_) when is_atom(Tag), tuple_size(A) =:= 2 -> atom_to_list(Tag);
              (I) when is_atom(Tag) -> atom_to_list(Tag) ++ "." ++ integer_to_list(I - 1);
              (I) -> "{" ++ integer_to_list(I) ++ "}"
           end,
    first_in_fields(A, B, 2, Step, Fields, Path);
first_difference(A, B, Fields, Path) when is_list(A), is_list(B), A =/= [], B =/= [] ->
    case io_lib:printable_list(A) andalso io_lib:printable_list(B) of
        true -> differs(A, B, Path);
        false -> first_in_list(A, B, 0, Fields, Path)
    end;
first_difference(A, B, _Fields, Path) ->
    differs(A, B, Path).

message_version({'MegacoMessage', _, {'Message', V, _, _}}) -> V;
message_version(_) -> 3.

%% #{{Tag, TupleSize} => [FieldName]} from the records of megaco_pretty_text_encoder_vN.
record_fields(Version) ->
    Mod = list_to_atom("megaco_pretty_text_encoder_v" ++ integer_to_list(Version)),
    try
        {ok, {_, [{debug_info, {debug_info_v1, Backend, Data}}]}} =
            beam_lib:chunks(code:which(Mod), [debug_info]),
        {ok, Forms} = Backend:debug_info(erlang_v1, Mod, Data, []),
        maps:from_list([{{Name, length(Fs) + 1}, [field_name(F) || F <- Fs]}
                        || {attribute, _, record, {Name, Fs}} <- Forms])
    catch
        _:_ -> #{}
    end.

field_name({typed_record_field, F, _Type}) -> field_name(F);
field_name({record_field, _, {atom, _, Name}}) -> Name;
field_name({record_field, _, {atom, _, Name}, _Default}) -> Name.

first_in_fields(A, _B, I, _Step, _Fields, _Path) when I > tuple_size(A) ->
    equal;
first_in_fields(A, B, I, Step, Fields, Path) ->
    case first_difference(element(I, A), element(I, B), Fields, [Step(I) | Path]) of
        equal -> first_in_fields(A, B, I + 1, Step, Fields, Path);
        Diff -> Diff
    end.

first_in_list([X | As], [X | Bs], I, Fields, Path) ->
    first_in_list(As, Bs, I + 1, Fields, Path);
first_in_list([A | _], [B | _], I, Fields, Path) ->
    first_difference(A, B, Fields, ["[" ++ integer_to_list(I) ++ "]" | Path]);
first_in_list([], Bs, I, _Fields, Path) ->
    {diff, where(Path) ++ ": A has " ++ integer_to_list(I) ++ " elements, B has more: "
        ++ brief(hd(Bs))};
first_in_list(As, [], I, _Fields, Path) ->
    {diff, where(Path) ++ ": B has " ++ integer_to_list(I) ++ " elements, A has more: "
        ++ brief(hd(As))}.

differs(A, B, Path) ->
    {diff, where(Path) ++ ": A=" ++ brief(A) ++ " B=" ++ brief(B)}.

where([]) -> "MegacoMessage";
where(Path) -> lists:join(" > ", lists:reverse(Path)).

%% One line of printable ASCII, at most REASON_MAX_CHARS long, so it fits the TAB separated output.
brief(Term) ->
    Text = lists:flatten(io_lib:format("~tp", [Term], [{chars_limit, ?REASON_MAX_CHARS}])),
    squeeze(Text, false).

squeeze([], _) -> [];
squeeze([C | Rest], InBlank) when C =:= $\s; C =:= $\t; C =:= $\r; C =:= $\n ->
    case InBlank of
        true -> squeeze(Rest, true);
        false -> [$\s | squeeze(Rest, true)]
    end;
squeeze([C | Rest], _) when C >= 33, C =< 126 ->
    [C | squeeze(Rest, false)];
squeeze([_ | Rest], _) ->
    [$? | squeeze(Rest, false)].

emit(Fields) ->
    Line = lists:join("\t", [squeeze(lists:flatten(to_text(F)), false) || F <- Fields]),
    io:put_chars([Line, "\n"]).

to_text(B) when is_binary(B) -> binary_to_list(B);
to_text(L) -> L.
