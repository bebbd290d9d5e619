using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Megaco.Mg.DataPath;
using Megaco.Mg.DataPath.Msrp;
using Megaco.Mg.DataPath.Stages;
using static Megaco.Mg.Tests.DataPath.Loopback;

namespace Megaco.Mg.Tests.Msrp;

/// <summary>
/// <see cref="PathRewriteStage"/> as a relay's data path stage (MSRP-aware B2BUA mode): the RFC 4975
/// examples both ways through a real loopback relay between a TLS access leg (msrps) and a TCP core leg
/// (msrp), a 10 MB chunked message in random pieces through the built data path, and framing faults that
/// reset both peers with a typed reason.
/// </summary>
public sealed partial class PathRewriteStageTests
{
    private const string Alice = "msrp://alicepc.example.com:7777/iau39soe2843z;tcp";
    private const string Bob = "msrp://bob.example.com:8888/9di4eae923wzd;tcp";

    // The access leg is TLS, so its URIs are msrps (RFC 4975 §6); the core leg is plain TCP.
    private static readonly MsrpLegPaths Access = new("msrps://127.0.0.1:40001/mgaccess1;tcp", "msrps://alicepc.example.com:7777/iau39soe2843z;tcp");
    private static readonly MsrpLegPaths Core = new("msrp://127.0.0.1:40002/mgcore2;tcp", Bob);

    [Theory]
    [InlineData("rfc4975-s4-send.msrp")]
    [InlineData("rfc4975-s11.1-basic-im.msrp")]
    [InlineData("rfc4975-s11.5-positive-report.msrp")]
    [InlineData("chunked-continuation.msrp")]
    [InlineData("chunked-abort.msrp")]
    public async Task Rfc_examples_cross_the_relay_with_each_legs_paths_and_scheme(string file)
    {
        await using var peers = await OpenRelay(Pool(), B2buaOptions(_ => { }));

        foreach (var message in Messages(MsrpCorpus.Text(file)))
        {
            var (from, to) = IsFromAlice(message) ? (peers.A, peers.B) : (peers.B, peers.A);
            var sent = IsFromAlice(message) ? AccessView(message) : CoreView(message);
            var expected = IsFromAlice(message) ? CoreView(message) : AccessView(message);

            await from.SendAsync(Encoding.Latin1.GetBytes(sent), SocketFlags.None);
            var received = Encoding.Latin1.GetString(await Within(ReceiveExactly(to, expected.Length)));

            Assert.Equal(expected, received);
        }
        peers.A.Shutdown(SocketShutdown.Send);
        peers.B.Shutdown(SocketShutdown.Send);
        Assert.Equal(RelayEndReason.Closed, (await Within(peers.Relay.Completion)).Reason);
    }

    [Fact]
    public async Task A_response_goes_back_to_the_requests_from_path_on_the_other_leg()
    {
        // RFC 4975 §7.2: the response's To-Path is the request's From-Path; here, Bob answers the MG's core
        // URI and Alice receives the answer addressed to her own URI, from the MG's access URI.
        await using var peers = await OpenRelay(Pool(), B2buaOptions(_ => { }));
        var send = $"MSRP a786hjs2 SEND\r\nTo-Path: {Access.LocalUri}\r\nFrom-Path: {Access.RemoteUri}\r\nMessage-ID: 87652491\r\nByte-Range: 1-*/*\r\nContent-Type: text/plain\r\n\r\nHey Bob, are you there?\r\n-------a786hjs2$\r\n";

        await peers.A.SendAsync(Encoding.ASCII.GetBytes(send), SocketFlags.None);
        var atBob = Encoding.ASCII.GetString(await Within(ReceiveExactly(peers.B, send.Length - Access.LocalUri.Length - Access.RemoteUri.Length + Core.RemoteUri.Length + Core.LocalUri.Length)));
        Assert.StartsWith($"MSRP a786hjs2 SEND\r\nTo-Path: {Bob}\r\nFrom-Path: {Core.LocalUri}\r\n", atBob, StringComparison.Ordinal);

        var ok = $"MSRP a786hjs2 200 OK\r\nTo-Path: {Core.LocalUri}\r\nFrom-Path: {Bob}\r\n-------a786hjs2$\r\n";
        var expected = $"MSRP a786hjs2 200 OK\r\nTo-Path: {Access.RemoteUri}\r\nFrom-Path: {Access.LocalUri}\r\n-------a786hjs2$\r\n";
        await peers.B.SendAsync(Encoding.ASCII.GetBytes(ok), SocketFlags.None);
        Assert.Equal(expected, Encoding.ASCII.GetString(await Within(ReceiveExactly(peers.A, expected.Length))));
    }

    public static TheoryData<string, MsrpFramingErrorReason> Faults() => new()
    {
        { "MSRP a786hjs2 SEND\nTo-Path: x\r\n", MsrpFramingErrorReason.MissingCrlf },
        { $"MSRP a786hjs2 SEND\r\nFrom-Path: {Alice}\r\nTo-Path: {Bob}\r\n-------a786hjs2$\r\n", MsrpFramingErrorReason.PathHeadersMissing },
        { "MSRP a786hjs2 SEND\r\nMessage-ID: 1\r\n", MsrpFramingErrorReason.PathHeadersMissing },
        { $"MSRP a786hjs2 SEND\r\nTo-Path: {Bob}\r\nContent-Type: text/plain\r\n\r\nHi\r\n-------a786hjs2$\r\n", MsrpFramingErrorReason.PathHeadersMissing },
        { "HTTP/1.1 200 OK\r\n", MsrpFramingErrorReason.BadStartLine },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Malformed_framing_resets_both_peers_and_names_the_reason(string text, MsrpFramingErrorReason reason)
    {
        var errors = new List<MsrpFramingError>();
        await using var peers = await OpenRelay(Pool(), B2buaOptions(e => { lock (errors) { errors.Add(e); } }));

        await peers.A.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

        Assert.True(await IsReset(peers.B));
        Assert.True(await IsReset(peers.A));
        Assert.Equal(RelayEndReason.StageFailed, (await Within(peers.Relay.Completion)).Reason);
        lock (errors)
        {
            Assert.Equal(reason, Assert.Single(errors).Reason);
        }
    }

    [Fact]
    public async Task A_peer_closing_inside_a_message_fails_the_path_as_truncated()
    {
        var errors = new List<MsrpFramingError>();
        await using var peers = await OpenRelay(Pool(), B2buaOptions(e => { lock (errors) { errors.Add(e); } }));

        await peers.A.SendAsync(Encoding.ASCII.GetBytes($"MSRP a786hjs2 SEND\r\nTo-Path: {Access.LocalUri}\r\nFrom-Path: {Access.RemoteUri}\r\nContent-Type: text/plain\r\n\r\nHey B"), SocketFlags.None);
        peers.A.Shutdown(SocketShutdown.Send);

        // What was complete (start line, headers, body so far) streamed on already; then the reset.
        Assert.True(await ReadsUntilReset(peers.B));
        Assert.Equal(RelayEndReason.StageFailed, (await Within(peers.Relay.Completion)).Reason);
        lock (errors)
        {
            Assert.Equal(MsrpFramingErrorReason.Truncated, Assert.Single(errors).Reason);
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task A_10_MB_message_in_chunks_streams_through_the_built_path_in_random_pieces(int seed)
    {
        // RFC 4975 §5.1/§7.1.1: a large message goes as chunks, each "+" until the last "$", with Byte-Range
        // "start-*/total" while the end is unknown; here three chunks of 10 MB in all, with a response between.
        var random = new Random(seed);
        var body = new byte[10 * 1024 * 1024];
        random.NextBytes(body);
        var input = new MemoryStream();
        var expected = new MemoryStream();
        int[] cuts = [0, random.Next(1, body.Length / 2), random.Next(body.Length / 2, body.Length - 1), body.Length];
        for (int i = 0; i < 3; i++)
        {
            string tid = $"chunk{seed}x{i}q";
            char flag = i == 2 ? '$' : '+';
            string head = $"MSRP {tid} SEND\r\nTo-Path: {{0}}\r\nFrom-Path: {{1}}\r\nMessage-ID: big{seed}\r\nByte-Range: {cuts[i] + 1}-*/{body.Length}\r\nContent-Type: application/octet-stream\r\n\r\n";
            Write(input, string.Format(head, Access.LocalUri, Access.RemoteUri));
            Write(expected, string.Format(head, Core.RemoteUri, Core.LocalUri));
            input.Write(body, cuts[i], cuts[i + 1] - cuts[i]);
            expected.Write(body, cuts[i], cuts[i + 1] - cuts[i]);
            Write(input, $"\r\n-------{tid}{flag}\r\n");
            Write(expected, $"\r\n-------{tid}{flag}\r\n");
        }
        var bytes = input.ToArray();
        var path = new DataPathBuilder().Add(PathRewriteStage.Between(Access, Core)).Build(new MgLimits());
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        var run = path.RunAsync(cts.Token);

        var write = Task.Run(async () =>
        {
            for (int offset = 0; offset < bytes.Length;)
            {
                // Every kind of boundary: single bytes, odd sizes, and reads as large as the path takes.
                int size = Math.Min(bytes.Length - offset, random.Next(4) switch { 0 => random.Next(1, 8), 1 => random.Next(1, 300), _ => random.Next(1, path.ReceiveSize + 1) });
                bytes.AsSpan(offset, size).CopyTo(path.Input.GetSpan(size));
                path.Input.Advance(size);
                await path.Input.FlushAsync(cts.Token);
                offset += size;
            }
            await path.Input.CompleteAsync();
        });

        var (count, hash) = await Within(Drain(path.Output, cts.Token));
        await Within(write);
        await Within(run);
        Assert.Equal(expected.Length, count);
        Assert.Equal(SHA256.HashData(expected.ToArray()), hash);
    }

    private static async Task<(long Count, byte[] Hash)> Drain(PipeReader reader, CancellationToken token)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        while (true)
        {
            var read = await reader.ReadAsync(token);
            foreach (var segment in read.Buffer)
            {
                hash.AppendData(segment.Span);
            }
            count += read.Buffer.Length;
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                await reader.CompleteAsync();
                return (count, hash.GetHashAndReset());
            }
        }
    }

    private static async Task<bool> ReadsUntilReset(Socket socket)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Megaco.Mg.Tests.DataPath.Loopback.Timeout);
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }

    private static RelayOptions B2buaOptions(Action<MsrpFramingError> onError) => new()
    {
        ConfigurePath = (side, path) => path.Add(side == RelaySide.A
            ? PathRewriteStage.Between(Access, Core, onFramingError: onError)
            : PathRewriteStage.Between(Core, Access, onFramingError: onError)),
    };

    /// <summary>The corpus text cut after each end-line: one string per message, CRLF throughout.</summary>
    private static IEnumerable<string> Messages(string text)
    {
        int start = 0;
        foreach (Match end in EndLine().Matches(text))
        {
            yield return text[start..(end.Index + end.Length)];
            start = end.Index + end.Length;
        }
        Assert.Equal(text.Length, start);
    }

    private static bool IsFromAlice(string message) => message.Contains("From-Path: " + Alice, StringComparison.Ordinal);

    /// <summary>The message as seen on the access leg: the MG stands in for Bob, and Alice's URI is msrps.</summary>
    private static string AccessView(string message) => MsrpCorpus.ReplaceInPaths(message, (Bob, Access.LocalUri), (Alice, Access.RemoteUri));

    /// <summary>The message as seen on the core leg: the MG stands in for Alice.</summary>
    private static string CoreView(string message) => MsrpCorpus.ReplaceInPaths(message, (Alice, Core.LocalUri));

    private static void Write(MemoryStream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));

    [GeneratedRegex(@"-------[A-Za-z0-9.\-+%=]+[$+#]\r\n")]
    private static partial Regex EndLine();
}
