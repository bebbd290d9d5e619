using System.Globalization;
using Megaco.EndToEnd.Tests.Support;

namespace Megaco.EndToEnd.Tests.Erlang;

/// <summary>
/// The Erlang/OTP megaco MGC of tests/erlang (<c>run-peer.sh mgc --notifies 0</c>) against our MG as a real process:
/// registration, then the MGC's script (Add, Modify, AuditValue, Subtract) executed by the MG's context engine, each
/// STEP <c>ok</c>; then SIGTERM stops the MG within its goodbye bound, exit status 0 (the Erlang MGC has already left
/// after its script, so nobody answers the Graceful ServiceChange).
/// </summary>
internal static class ErlangMgcScript
{
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    /// <summary>encoding, our offered version, the Erlang MGC's version: the six same-version pairs and two mixed ones
    /// per transport (its v1 against our offer of v3 and the reverse over UDP; v2 against v3 both ways over TCP).</summary>
    public static TheoryData<string, int, int> Combinations(string transport)
    {
        var data = new TheoryData<string, int, int>();
        foreach (var encoding in new[] { "pretty", "compact" })
        {
            for (var version = 1; version <= 3; version++)
            {
                data.Add(encoding, version, version);
            }
        }
        if (transport == "udp")
        {
            data.Add("compact", 3, 1);
            data.Add("pretty", 1, 3);
        }
        else
        {
            data.Add("compact", 3, 2);
            data.Add("pretty", 2, 3);
        }
        return data;
    }

    public static async Task RunAsync(string transport, string encoding, int ours, int theirs)
    {
        var expected = Math.Min(ours, theirs).ToString(CultureInfo.InvariantCulture);
        var mgcPort = ErlangPeer.FreePort(transport == "tcp");
        await using var peer = ErlangPeer.Start("mgc", "--transport", transport, "--port", mgcPort.ToString(CultureInfo.InvariantCulture),
            "--encoding", encoding, "--version", theirs.ToString(CultureInfo.InvariantCulture), "--notifies", "0",
            "--timeout", "20", "--deadline", "55");
        Assert.Equal("ok", (await peer.StepAsync("listen", StepTimeout))[2]);

        var first = BearerPorts.Range(4);
        await using var mg = MgProcess.Start([
            "--listen", $"{transport}://127.0.0.1:{ErlangPeer.FreePort(transport == "tcp")}",
            "--mgc", $"{transport}://127.0.0.1:{mgcPort}", "--encoding", encoding, "--version", ours.ToString(CultureInfo.InvariantCulture),
            "--Media:FirstPort=" + first.ToString(CultureInfo.InvariantCulture),
            "--Media:LastPort=" + (first + 3).ToString(CultureInfo.InvariantCulture)]);
        string Describe() => peer.Describe() + "\nMG output:\n" + mg.Output;

        var register = await StepOk(peer, "register", Describe);
        Assert.Equal(("restart", "901", ours.ToString(CultureInfo.InvariantCulture), expected),
            (register["method"], register["reason"], register["offered"], register["version"]));

        var add = await StepOk(peer, "add", Describe);
        Assert.StartsWith("msrp/", add["termination"], StringComparison.Ordinal);
        // The MG filled the Local's $ with its bearer address and a port of its range (H.248.1 Annex C: $ = MG chooses).
        var local = add["local"].Split(':');
        Assert.Equal("127.0.0.1", local[0]);
        Assert.InRange(int.Parse(local[1], CultureInfo.InvariantCulture), first, first + 3);

        var modify = await StepOk(peer, "modify", Describe);
        Assert.Equal((add["context"], add["termination"], "ReceiveOnly"), (modify["context"], modify["termination"], modify["mode"]));
        var audit = await StepOk(peer, "audit", Describe);
        Assert.Equal(("ReceiveOnly", add["local"]), (audit["mode"], audit["local"]));
        var subtract = await StepOk(peer, "subtract", Describe);
        Assert.Equal(add["termination"], subtract["termination"]);
        Assert.Equal(0, await peer.ExitAsync(StepTimeout));
        Assert.Contains(peer.Lines, l => l is ["DONE"]);

        mg.Terminate();
        Assert.True(await mg.WaitForExitAsync(TimeSpan.FromSeconds(20)), "the MG did not stop at SIGTERM: " + mg.Output);
        Assert.True(mg.ExitCode == 0, $"the MG exited with {mg.ExitCode}: {mg.Output}");
    }

    private static async Task<Dictionary<string, string>> StepOk(ErlangPeer peer, string name, Func<string> describe)
    {
        var step = await peer.StepAsync(name, StepTimeout);
        Assert.True(step[2] == "ok", $"STEP {name} {string.Join(' ', step[2..])}: {describe()}");
        return step.Length < 4 ? [] : step[3].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
    }
}

/// <summary>Over UDP (H.248.1 Annex D.1): pretty and compact, versions 1-3, and mixed versions.</summary>
public sealed class ErlangMgcOverUdpTests
{
    [Theory]
    [MemberData(nameof(ErlangMgcScript.Combinations), "udp", MemberType = typeof(ErlangMgcScript))]
    public Task TheErlangMgcDrivesOurMgProcess(string encoding, int ours, int theirs) =>
        ErlangMgcScript.RunAsync("udp", encoding, ours, theirs);
}

/// <summary>Over TCP with TPKT (H.248.1 Annex D.2): pretty and compact, versions 1-3, and mixed versions.</summary>
public sealed class ErlangMgcOverTcpTests
{
    [Theory]
    [MemberData(nameof(ErlangMgcScript.Combinations), "tcp", MemberType = typeof(ErlangMgcScript))]
    public Task TheErlangMgcDrivesOurMgProcess(string encoding, int ours, int theirs) =>
        ErlangMgcScript.RunAsync("tcp", encoding, ours, theirs);
}
