using System.Net;
using System.Net.Sockets;
using System.Text;
using Megaco.Mg.Control;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Megaco.Mg.Tests.Control;

/// <summary>
/// The MG's UDP control endpoint over loopback: hostile datagrams get their H.248.8 error and never
/// stop the listener; a well-formed request before registration gets 505.
/// </summary>
public sealed class ControlListenerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static async Task<MegacoMessage> Exchange(UdpClient client, IPEndPoint mg, string text)
    {
        await client.SendAsync(Encoding.ASCII.GetBytes(text), mg);
        using var cts = new CancellationTokenSource(Timeout);
        var reply = await client.ReceiveAsync(cts.Token);
        var read = MegacoTextReader.Default.Read(reply.Buffer);
        Assert.True(read.IsSuccess, read.FirstError?.ToString());
        return read.Message!;
    }

    [Fact]
    public async Task AnswersFaultsWithTheirErrorsAndRequestsWith505()
    {
        var port = FreeUdpPort();
        var options = Options.Create(new ControlOptions { Listen = $"udp://127.0.0.1:{port}" });
        using var listener = new ControlListener(options, NullLogger<ControlListener>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await listener.StartAsync(cts.Token);
        try
        {
            using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            var mg = new IPEndPoint(IPAddress.Loopback, port);

            var garbage = await Exchange(client, mg, "\u0001\u0002 not H.248");
            Assert.Equal((ushort)400, garbage.Error?.Code);

            var version = await Exchange(client, mg, "MEGACO/9 [127.0.0.1]:2945 T=1{C=-{AV=ROOT}}");
            Assert.Equal((ushort)406, version.Error?.Code);

            var mixed = await Exchange(client, mg, "!/2 [127.0.0.1]:2945 T=8{C=-{AV=ROOT}} T=9{C=-{MF=t1{M{O{MO=Up}}}}}");
            var replies = mixed.Transactions.Cast<TransactionReply>().ToDictionary(r => r.TransactionId, r => r.Error?.Code);
            Assert.Equal((ushort)505, replies[8]);
            Assert.Equal((ushort)403, replies[9]);
            Assert.Equal(2, mixed.Version);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }
}
