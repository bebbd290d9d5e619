namespace Megaco.Protocol.Tests.Interop;

/// <summary>
/// One job's outcome. <see cref="Detail"/> is Erlang's reason (Error) or the path to the first
/// difference (Diff); <see cref="Encoded"/> holds what Erlang's encoder wrote (encode jobs that are Ok).
/// </summary>
public sealed record ErlangResult(string Id, ErlangVerdict Verdict, string? Detail, byte[]? Encoded = null)
{
    public override string ToString() => Detail is null ? $"{Verdict} {Id}" : $"{Verdict} {Id}: {Detail}";
}
