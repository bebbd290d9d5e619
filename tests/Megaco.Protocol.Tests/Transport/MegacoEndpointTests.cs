using System.Net;
using Megaco.Protocol.Transport;

namespace Megaco.Protocol.Tests.Transport;

public sealed class MegacoEndpointTests
{
    [Theory]
    [InlineData("udp://127.0.0.1:2944", MegacoTransportKind.Udp, "127.0.0.1", 2944)]
    [InlineData("tcp://127.0.0.1:2945", MegacoTransportKind.Tcp, "127.0.0.1", 2945)]
    [InlineData("UDP://10.0.0.1", MegacoTransportKind.Udp, "10.0.0.1", 2944)]
    [InlineData("udp://[::1]:55555", MegacoTransportKind.Udp, "::1", 55555)]
    [InlineData("tcp://[2001:db8::1]", MegacoTransportKind.Tcp, "2001:db8::1", 2944)]
    [InlineData("tcp://localhost:0", MegacoTransportKind.Tcp, "127.0.0.1", 0)]
    [InlineData("udp://127.0.0.1:2944/", MegacoTransportKind.Udp, "127.0.0.1", 2944)]
    public void Parses(string text, MegacoTransportKind kind, string address, int port)
    {
        var endpoint = MegacoEndpoint.Parse(text);

        Assert.Equal(kind, endpoint.Transport);
        Assert.Equal(IPAddress.Parse(address), endpoint.EndPoint.Address);
        Assert.Equal(port, endpoint.EndPoint.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:2944")]
    [InlineData("sctp://127.0.0.1:2944")]
    [InlineData("udp://")]
    [InlineData("udp://127.0.0.1:")]
    [InlineData("udp://127.0.0.1:65536")]
    [InlineData("udp://127.0.0.1:-1")]
    [InlineData("udp://127.0.0.1:29x4")]
    [InlineData("udp://::1:2944")]
    [InlineData("udp://[::1")]
    [InlineData("udp://[::1]2944")]
    [InlineData("udp://[127.0.0.1]:2944")]
    [InlineData("udp://mgc.example:2944")]
    public void Refuses(string text)
    {
        Assert.False(MegacoEndpoint.TryParse(text, out var endpoint, out var error));
        Assert.Null(endpoint);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Throws<FormatException>(() => MegacoEndpoint.Parse(text));
    }

    [Theory]
    [InlineData("udp://127.0.0.1:2944")]
    [InlineData("tcp://[::1]:2945")]
    public void RoundTripsThroughToString(string text) =>
        Assert.Equal(MegacoEndpoint.Parse(text), MegacoEndpoint.Parse(MegacoEndpoint.Parse(text).ToString()));

    [Fact]
    public void EqualEndpointsAreEqualKeys() =>
        Assert.Equal(MegacoEndpoint.Parse("udp://127.0.0.1:1").GetHashCode(), MegacoEndpoint.Parse("udp://127.0.0.1:1").GetHashCode());
}
