using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Megaco.Mg.Contexts;
using Megaco.Protocol;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;
using Megaco.TestSupport;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>
/// An MGC no one here wrote: Erlang/OTP megaco's (tests/erlang/h248_mgc.erl) registers our MG, then adds an
/// MSRP termination in context $, modifies its mode, audits it and subtracts it, all executed by the engine.
/// erl missing fails the test (there is no runtime skip in xunit 2), with the package to install.
/// </summary>
public sealed class ErlangMgcTests
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task ErlangMgcAddsModifiesAuditsAndSubtractsThroughTheEngine()
    {
        RequireErl();
        var mgcPort = FreeUdpPort();
        using var peer = StartMgc(mgcPort);
        try
        {
            var lines = new List<string>();
            await ReadUntil(peer, lines, line => line.StartsWith("STEP\tlisten\t", StringComparison.Ordinal));
            Assert.StartsWith("STEP\tlisten\tok", lines[^1], StringComparison.Ordinal);

            var catalog = ProfileLoader.LoadDirectory(Path.Combine(RepoPaths.RepoRoot, "profiles"));
            var first = Random.Shared.Next(20_000, 31_000);
            await using var engine = new MediaGatewayEngine(new MediaOptions { FirstPort = first, LastPort = first + 15 }, catalog,
                new ProfileValidator(catalog, catalog.GetProfile("iq")), new DiscardingSink());
            await using var transport = UdpTransport.Bind(new MegacoTransportOptions { Listen = MegacoEndpoint.Parse("udp://127.0.0.1:0") });
            var port = (ushort)transport.LocalEndpoint.EndPoint.Port;
            await using var mg = new TransactionManager(transport, new Wire.EngineUser(engine),
                new TransactionOptions { MId = MId.IPv4("127.0.0.1", port), Version = 3 });
            mg.Start();

            // Registration is the association's; the test does it by hand so the MGC starts its script.
            using var cts = new CancellationTokenSource(LineTimeout);
            var registered = await mg.SendRequestAsync(MegacoEndpoint.Udp(new IPEndPoint(IPAddress.Loopback, mgcPort)),
                [new ActionRequest(ContextId.Null, [new CommandRequest(new ServiceChangeRequest([TerminationId.Root],
                    new ServiceChangeParm(ServiceChangeMethod.Restart, "901", Address: new ServiceChangeAddress(Port: port), Version: 3)))])],
                cts.Token);
            Assert.True(registered.HasReply, "no ServiceChange reply: " + registered.Failure);

            await ReadUntil(peer, lines, line => line is "DONE" || line.StartsWith("FAILED", StringComparison.Ordinal) || line.StartsWith("FATAL", StringComparison.Ordinal));
            var transcript = string.Join("\n", lines);
            Assert.True(lines[^1] == "DONE", transcript + "\n" + await peer.StandardError.ReadToEndAsync(cts.Token));
            Assert.Contains(lines, l => l.StartsWith("STEP\tadd\tok\t", StringComparison.Ordinal) && l.Contains("termination=msrp/", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("STEP\taudit\tok\t", StringComparison.Ordinal) && l.Contains("mode=ReceiveOnly", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("STEP\tsubtract\tok", StringComparison.Ordinal));
            Assert.Equal(0, engine.ContextCount);
            Assert.Equal(0, engine.Ports.InUse);
        }
        finally
        {
            if (!peer.HasExited)
            {
                peer.Kill(entireProcessTree: true);
            }
            await peer.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
    }

    private static Process StartMgc(int port)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.RepoRoot, "tests", "erlang", "run-peer.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "mgc", "--transport", "udp", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--encoding", "compact", "--version", "3", "--notifies", "0", "--timeout", "10", "--deadline", "50" })
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start run-peer.sh");
    }

    private static async Task ReadUntil(Process peer, List<string> lines, Func<string, bool> last)
    {
        while (true)
        {
            using var cts = new CancellationTokenSource(LineTimeout);
            var line = await peer.StandardOutput.ReadLineAsync(cts.Token);
            Assert.True(line is not null, "the Erlang MGC ended early: " + string.Join("\n", lines));
            lines.Add(line);
            if (last(line))
            {
                return;
            }
        }
    }

    private static void RequireErl()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, "erl"))))
        {
            var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
            Assert.Fail("erl is not on PATH: install erlang-base and erlang-megaco" + (ci ? " (CI=true: .ci/run should have installed them)" : ""));
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private sealed class DiscardingSink : INotificationSink
    {
        public ValueTask NotifyAsync(ContextId context, TerminationId termination, ObservedEventsDescriptor observedEvents, CancellationToken cancellationToken) =>
            ValueTask.CompletedTask;
    }
}
