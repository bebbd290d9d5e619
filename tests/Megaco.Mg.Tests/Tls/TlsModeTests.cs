using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using Megaco.Mg.DataPath;
using Megaco.Mg.Tests.DataPath;
using Megaco.Mg.Tls;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.Tests.Tls;

/// <summary>
/// The relay modes with TLS between openssl peers: e2e (the UE's TLS passes through a plain relay), TLS on
/// both legs with independent sessions, and e2ae checked on the wire with tshark.
/// </summary>
public sealed class TlsModeTests
{
    [Fact]
    public async Task E2e_plain_relay_passes_an_end_to_end_handshake_and_its_records_untouched()
    {
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var (server, core) = await TlsRig.StartServer(["-tls1_3", "-cert", ue.CertPath, "-key", ue.KeyPath], cts.Token);
        await using var _s = server;
        await using var _c = core;
        await using var access = Loopback.Passive(Loopback.Pool());
        await using var client = await TlsRig.StartClient(access, ["-tls1_3"], cts.Token);
        await using var relay = Relay.Start(access, core);

        var up = TlsRig.RandomBytes(1 << 20, 11);
        await client.Stdin.WriteAsync(up, cts.Token);
        await client.Stdin.FlushAsync(cts.Token);
        var received = await Loopback.Within(server.ReadStdout(up.Length, cts.Token));
        Assert.Equal(SHA256.HashData(up), SHA256.HashData(received));
        var down = TlsRig.RandomBytes(256 << 10, 12);
        await server.Stdin.WriteAsync(down, cts.Token);
        await server.Stdin.FlushAsync(cts.Token);
        var back = await Loopback.Within(client.ReadStdout(down.Length, cts.Token));
        Assert.Equal(SHA256.HashData(down), SHA256.HashData(back));
        // The relay carried records, not clear bytes: more than the application data in each direction.
        Assert.True(relay.BytesReceived(RelaySide.A) > up.Length);
        Assert.True(relay.BytesSent(RelaySide.A) > down.Length);
    }

    [Fact]
    public async Task Tls_on_both_legs_uses_independent_sessions()
    {
        // s_client (certificate) ⇄ MG as TLS server | MG as TLS client (TLS 1.3 PSK) ⇄ s_server.
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var (server, core) = await TlsRig.StartServer(["-tls1_3", "-nocert", "-psk", TlsRig.PskHex, "-psk_identity", TlsRig.PskIdentity], cts.Token);
        await using var _s = server;
        await using var _c = core;
        var coreTls = await TlsLeg.EstablishAsync(core, new TlsEndpointOptions { Role = TlsRole.Client, Psk = TlsRig.Psk }, cts.Token);
        Assert.True(coreTls.IsEstablished, $"{coreTls} / {server.Stderr}");

        await using var access = Loopback.Passive(Loopback.Pool());
        await using var client = await TlsRig.StartClient(access, ["-tls1_2", "-cert", ue.CertPath, "-key", ue.KeyPath], cts.Token);
        var accessTls = await TlsLeg.EstablishAsync(access, new TlsEndpointOptions
        {
            Role = TlsRole.Server,
            Certificate = MgCertificate.GenerateSelfSigned(),
            RemoteFingerprints = [TlsFingerprint.Compute(FingerprintHash.Sha256, ue.Der)],
        }, cts.Token);
        Assert.True(accessTls.IsEstablished, $"{accessTls} / {client.Stderr}");
        Assert.Equal(TlsVersion.Tls12, accessTls.Leg!.Version);
        Assert.Equal(TlsVersion.Tls13, coreTls.Leg!.Version);
        await using var relay = Relay.Start(RelayLeg.Secured(accessTls.Leg), RelayLeg.Secured(coreTls.Leg));

        var up = TlsRig.RandomBytes(1 << 20, 13);
        var feeding = Task.Run(async () =>
        {
            await client.Stdin.WriteAsync(up, cts.Token);
            await client.Stdin.FlushAsync(cts.Token);
        }, cts.Token);
        var received = await Loopback.Within(server.ReadStdout(up.Length, cts.Token));
        await feeding;
        Assert.Equal(SHA256.HashData(up), SHA256.HashData(received));
        var down = TlsRig.RandomBytes(1 << 20, 14);
        var reading = client.ReadStdout(down.Length, cts.Token);
        await server.Stdin.WriteAsync(down, cts.Token);
        await server.Stdin.FlushAsync(cts.Token);
        Assert.Equal(SHA256.HashData(down), SHA256.HashData(await Loopback.Within(reading)));
        Assert.Equal(up.Length, relay.BytesReceived(RelaySide.A));
        Assert.Equal(up.Length, relay.BytesSent(RelaySide.B));
        Assert.Equal(down.Length, relay.BytesReceived(RelaySide.B));
    }

    [Fact]
    public async Task E2ae_on_the_wire_the_access_leg_carries_only_tls_records_and_the_core_leg_the_clear_msrp()
    {
        var tshark = OpenSsl.Find("tshark") ?? throw new InvalidOperationException(
            "tshark is missing: install Debian package tshark" + (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ? " (CI=true)" : ""));
        using var ue = UeCertificate.Create();
        using var cts = new CancellationTokenSource(Loopback.Timeout);
        var pool = Loopback.Pool();
        await using var access = Loopback.Passive(pool);
        await using var core = Loopback.Passive(pool);
        var accessPort = access.ListenEndPoint!.Port;
        var corePort = core.ListenEndPoint!.Port;
        var dir = Directory.CreateTempSubdirectory("h248-tls-cap-").FullName;
        var capture = Path.Combine(dir, "e2ae.pcapng");
        var decodeAs = $"tcp.port=={accessPort},tls";
        try
        {
            using (var dumper = StartCapture(tshark, capture, accessPort, corePort))
            {
                try
                {
                    await WaitForCaptureStart(dumper, cts.Token);
                    var acceptCore = core.EstablishAsync(cts.Token);
                    using var corePeer = await Loopback.ConnectFrom(Loopback.Ue1, core.ListenEndPoint!);
                    Assert.Equal(BearerOutcome.Established, await acceptCore);
                    await using var client = await TlsRig.StartClient(access, ["-tls1_3", "-cert", ue.CertPath, "-key", ue.KeyPath], cts.Token);
                    var outcome = await TlsLeg.EstablishAsync(access, new TlsEndpointOptions
                    {
                        Role = TlsRole.Server,
                        Certificate = MgCertificate.GenerateSelfSigned(),
                        RemoteFingerprints = [TlsFingerprint.Compute(FingerprintHash.Sha256, ue.Der)],
                    }, cts.Token);
                    Assert.True(outcome.IsEstablished, outcome.ToString());
                    await using var relay = Relay.Start(RelayLeg.Secured(outcome.Leg!), RelayLeg.Plain(core));
                    await TlsRig.ExchangeWithClient(client, relay, corePeer, Msrp("ue-to-core"), Msrp("core-to-ue"), cts.Token);
                }
                finally
                {
                    // dumpcap writes from its own buffer, later still on a loaded machine: wait (bounded) until the
                    // exchange's last records are in the file rather than for a fixed time.
                    await WaitForFrames(tshark, capture, decodeAs,
                        $"(tcp.port=={corePort} && frame contains \"MSRP a786hjs2 SEND\") || (tcp.port=={accessPort} && tls.app_data)", 4);
                    await StopCapture(dumper);
                }
            }
            // RFC 8446 §5.1: every segment with payload on the access leg is part of a TLS record; the MSRP
            // text appears on the core leg only.
            Assert.True(Count(tshark, capture, decodeAs, $"tcp.port=={accessPort} && tcp.len>0") > 0, "nothing captured on the access leg");
            Assert.Equal(0, Count(tshark, capture, decodeAs, $"tcp.port=={accessPort} && tcp.len>0 && !tls"));
            Assert.True(Count(tshark, capture, decodeAs, $"tcp.port=={accessPort} && tls.app_data") > 0, "no TLS application data records on the access leg");
            Assert.Equal(0, Count(tshark, capture, decodeAs, $"tcp.port=={accessPort} && frame contains \"MSRP\""));
            Assert.True(Count(tshark, capture, decodeAs, $"tcp.port=={corePort} && frame contains \"MSRP a786hjs2 SEND\"") >= 2, "the clear MSRP is not on the core leg");
            Assert.Equal(0, Count(tshark, capture, decodeAs, $"tcp.port=={corePort} && tls"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>An MSRP SEND (RFC 4975 §7.1) with a recognisable body.</summary>
    private static byte[] Msrp(string body) =>
        System.Text.Encoding.ASCII.GetBytes(
            $"MSRP a786hjs2 SEND\r\nTo-Path: msrp://core.example:7777/iau39soe2843z;tcp\r\nFrom-Path: msrp://ue.example:8888/9di4eae923wzd;tcp\r\n" +
            $"Message-ID: 87652491\r\nByte-Range: 1-{body.Length}/{body.Length}\r\nContent-Type: text/plain\r\n\r\n{body}\r\n-------a786hjs2$\r\n");

    private static Process StartCapture(string tshark, string file, int portA, int portB)
    {
        var start = new ProcessStartInfo(tshark) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-i", "lo", "-f", $"tcp port {portA} or tcp port {portB}", "-w", file })
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("could not start tshark");
    }

    private static async Task WaitForCaptureStart(Process dumper, CancellationToken cancellationToken)
    {
        // dumpcap reports "Capturing on 'Loopback: lo'" on stderr once the capture is live.
        while (true)
        {
            var line = await dumper.StandardError.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException("tshark ended before capturing (is capturing on lo permitted?)");
            if (line.Contains("Capturing on", StringComparison.Ordinal))
            {
                _ = dumper.StandardError.ReadToEndAsync(CancellationToken.None);
                return;
            }
        }
    }

    private static async Task StopCapture(Process dumper)
    {
        if (!dumper.HasExited)
        {
            // SIGINT lets tshark finish the file; a kill would leave it truncated.
            using (var kill = Process.Start("kill", ["-INT", dumper.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await dumper.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                dumper.Kill(entireProcessTree: true);
                throw;
            }
        }
    }

    /// <summary>Polls the capture being written until <paramref name="filter"/> matches at least
    /// <paramref name="frames"/> frames, for at most 20 s; a file cut mid-block reads as not there yet.</summary>
    private static async Task WaitForFrames(string tshark, string file, string decodeAs, string filter, int frames)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && TryCount(tshark, file, decodeAs, filter) < frames)
        {
            await Task.Delay(200);
        }
    }

    private static int Count(string tshark, string file, string decodeAs, string filter)
    {
        var (count, exitCode, errors) = Run(tshark, file, decodeAs, filter);
        Assert.True(exitCode == 0, errors);
        return count;
    }

    private static int TryCount(string tshark, string file, string decodeAs, string filter) =>
        File.Exists(file) && Run(tshark, file, decodeAs, filter) is { exitCode: 0 } result ? result.count : -1;

    private static (int count, int exitCode, string errors) Run(string tshark, string file, string decodeAs, string filter)
    {
        var start = new ProcessStartInfo(tshark) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-r", file, "-d", decodeAs, "-Y", filter, "-T", "fields", "-e", "frame.number" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start tshark");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("tshark -r did not finish");
        }
        return (output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, process.ExitCode, errors.Result);
    }
}
