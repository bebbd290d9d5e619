using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;

namespace Megaco.Protocol.Tests.Profiles;

/// <summary>A key never leaves through an error text: a malformed tlsx/psk is refused with 449 without its value.</summary>
public sealed class ProfileSecretTests
{
    [Fact]
    public void AMalformedKeyIsRefusedWithoutEchoingIt()
    {
        var catalog = ProfileData.Catalog;
        Assert.True(catalog.TryGetProfile("iq", out var iq));
        Assert.True(catalog.TryGetPackage("tlsx", out var tlsx));
        Assert.True(tlsx.FindProperty("psk")!.Secret);
        Assert.False(tlsx.FindProperty("pskid")!.Secret);
        var validator = new ProfileValidator(catalog, iq);
        const string key = "0123456789abcdef0123456789abcdeZ";
        var command = new AmmRequest(AmmKind.Add, [TerminationId.Choose],
            [new MediaDescriptor(Streams: [new StreamDescriptor(1, new StreamParms(
                LocalControl: new LocalControlDescriptor(Properties: [PropertyParm.Of("tlsx", "psk", key)])))])]);
        var error = validator.Validate(command);
        Assert.NotNull(error);
        Assert.Equal((ushort)H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue, error.Code);
        Assert.DoesNotContain(key, error.Text);
        Assert.DoesNotContain("abcde", error.Text);
        Assert.Contains("tlsx/psk", error.Text);
    }
}
