using System.Net;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;
using Xunit;

namespace Megaco.Protocol.Tests.Sdp;

public sealed class SessionDescriptionTests
{
    // RFC 4975 §7.1.1 (first offer of the example): Alice offers an MSRP session over TCP.
    private const string AliceOffer =
        "v=0\r\n" +
        "o=alice 2890844526 2890844527 IN IP4 alicepc.example.com\r\n" +
        "s=-\r\n" +
        "c=IN IP4 alicepc.example.com\r\n" +
        "t=0 0\r\n" +
        "m=message 7394 TCP/MSRP *\r\n" +
        "a=accept-types:text/plain\r\n" +
        "a=path:msrp://alicepc.example.com:7394/2s93i93idd;tcp\r\n";

    // A UE offer for MSRP over TLS as TS 24.229 shows it: fingerprint, setup role, CEMA (RFC 6714 §4).
    private const string TlsOffer =
        "v=0\n" +
        "o=- 1 1 IN IP6 2001:db8::1\n" +
        "s=-\n" +
        "t=0 0\n" +
        "m=message 2855 TCP/TLS/MSRP *\n" +
        "c=IN IP6 2001:db8::1\n" +
        "a=accept-types:message/cpim text/plain\n" +
        "a=path:msrps://[2001:db8::1]:2855/kjhd37s2s20w2a;tcp\n" +
        "a=fingerprint:SHA-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB\n" +
        "a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\n" +
        "a=setup:actpass\n" +
        "a=connection:new\n" +
        "a=msrp-cema\n";

    [Fact]
    public void Rfc4975OfferReadsAndWritesBackUnchanged()
    {
        Assert.True(SessionDescription.TryParse(AliceOffer, out var sdp, out var error), error);
        Assert.Equal(AliceOffer, sdp.ToString());
        Assert.True(MsrpMedia.TryRead(sdp, out var media, out var index, out error), error);
        Assert.Equal(0, index);
        Assert.False(media.IsTls);
        Assert.Equal(7394, media.Port);
        Assert.Equal("alicepc.example.com", media.ConnectionAddress);
        Assert.Null(media.Address);
        Assert.Equal(["msrp://alicepc.example.com:7394/2s93i93idd;tcp"], media.Path);
        Assert.Null(media.Setup);
        Assert.False(media.Cema);
    }

    [Fact]
    public void TlsOfferGivesEveryMsrpAttribute()
    {
        Assert.True(SessionDescription.TryParse(TlsOffer, out var sdp, out var error), error);
        Assert.True(MsrpMedia.TryRead(sdp, out var media, out _, out error), error);
        Assert.True(media.IsTls);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), media.Address);
        Assert.Equal(2855, media.Port);
        Assert.Equal(SetupRole.ActPass, media.Setup);
        Assert.Equal(TcpConnectionAttribute.New, media.ConnectionAttribute);
        Assert.True(media.Cema);
        Assert.Equal(2, media.Fingerprints.Count);
        Assert.StartsWith("SHA-1 4A:AD", media.Fingerprints[0]);
        Assert.StartsWith("sha-256 6B:8B", media.Fingerprints[1]);
    }

    [Fact]
    public void H248LocalWithChooseValuesIsFilledByTheMg()
    {
        // H.248.1 Annex C: '$' asks the MG to choose the address and the port.
        var local = LocalRemoteDescriptor.Parse("v=0\nc=IN IP4 $\nm=message $ TCP/MSRP *\na=setup:passive\n");
        var sdp = SessionDescription.FromDescriptor(local);
        Assert.True(MsrpMedia.TryRead(sdp, out var media, out var index, out var error), error);
        Assert.Null(media.Port);
        Assert.Null(media.Address);
        Assert.Equal("$", media.ConnectionAddress);

        var filled = sdp.WithConnection(ConnectionData.ForAddress(IPAddress.Loopback))
            .WithMedia(index, sdp.Media[index].WithPort("40000").WithAttribute("path", "msrp://127.0.0.1:40000/abc;tcp"));
        Assert.Equal(
            ["v=0", "c=IN IP4 127.0.0.1", "m=message 40000 TCP/MSRP *", "a=setup:passive", "a=path:msrp://127.0.0.1:40000/abc;tcp"],
            filled.ToLines().AsSpan().ToArray().Select(l => l.Text));
        Assert.Equal(filled, SessionDescription.FromDescriptor(filled.ToDescriptor()));
    }

    [Fact]
    public void MediaLevelConnectionOverridesSessionLevel()
    {
        var sdp = SessionDescription.FromDescriptor(LocalRemoteDescriptor.Parse(
            "v=0\nc=IN IP4 192.0.2.1\nm=message 9 TCP/MSRP *\nc=IN IP4 192.0.2.2\nm=message 10 TCP/MSRP *\n"));
        Assert.Equal("192.0.2.2", sdp.ConnectionOf(sdp.Media[0])!.Address);
        Assert.Equal("192.0.2.1", sdp.ConnectionOf(sdp.Media[1])!.Address);
        var moved = sdp.Media[1].WithConnection(new ConnectionData("IN", "IP4", "192.0.2.3"));
        Assert.Equal(["c=IN IP4 192.0.2.3"], moved.Lines.AsSpan().ToArray().Select(l => l.Text));
    }

    [Fact]
    public void AttributesAreReplacedInPlaceAndRemoved()
    {
        var media = SessionDescription.FromDescriptor(LocalRemoteDescriptor.Parse(TlsOffer)).Media[0];
        var one = media.WithAttribute("fingerprint", "sha-256 00:11");
        Assert.Equal(["sha-256 00:11"], one.Attributes("fingerprint"));
        Assert.Equal(media.Lines.Count - 1, one.Lines.Count);
        var none = one.WithoutAttribute("fingerprint").WithoutAttribute("msrp-cema");
        Assert.Empty(none.Attributes("fingerprint"));
        Assert.False(none.HasAttribute("msrp-cema"));
        Assert.Equal("m=message 2855 TCP/MSRP *", media.WithProtocol(MsrpMedia.TcpProtocol).MediaLine.Text);
    }

    [Theory]
    [InlineData("", "does not start with v=0")]
    [InlineData("o=x\r\n", "does not start with v=0")]
    [InlineData("v=0\r\nbogus line\r\n", "line 2")]
    [InlineData("v=0\r\nM=message 1 TCP/MSRP *\r\n", "line 2")]
    public void MalformedBodiesAreRefusedWithTheReason(string text, string reason)
    {
        Assert.False(SessionDescription.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void OversizedBodiesAreRefused()
    {
        Assert.False(SessionDescription.TryParse("v=0\r\n" + new string('a', SessionDescription.MaxLength), out _, out var error));
        Assert.Contains("longer", error);
        Assert.False(SessionDescription.TryParse("v=0\r\n" + string.Concat(Enumerable.Repeat("a=x\r\n", SessionDescription.MaxLines)), out _, out error));
        Assert.Contains("more than", error);
    }

    [Theory]
    [InlineData("m=message x TCP/MSRP *\na=setup:passive", "not a port number")]
    [InlineData("m=message 1 TCP/MSRP *\na=setup:sideways", "a=setup:sideways")]
    [InlineData("m=message 1 TCP/MSRP *\na=connection:maybe", "a=connection:maybe")]
    [InlineData("m=audio 1 RTP/AVP 0", "no m=message")]
    [InlineData("m=message 1 TCP/WS/MSRP *", "no m=message")]
    public void BadMsrpMediaIsRefusedNotGuessed(string media, string reason)
    {
        var sdp = SessionDescription.FromDescriptor(LocalRemoteDescriptor.Parse("v=0\n" + media + "\n"));
        Assert.False(MsrpMedia.TryRead(sdp, out _, out _, out var error));
        Assert.Contains(reason, error);
    }
}
