using Megaco.Mg.Contexts;
using Megaco.Protocol.Errors;

namespace Megaco.Mg.Tests.Contexts;

/// <summary>The Error descriptor's text is an H.248.1 quotedString: whatever the reason says, the reply can be written.</summary>
public sealed class CommandFailedExceptionTests
{
    [Fact]
    public void Characters_a_quoted_string_cannot_carry_become_question_marks()
    {
        var descriptor = new CommandFailedException(H248ErrorCode.UnsupportedOrUnknownParameterOrPropertyValue,
            "RFC 8122 §5: \"sha-256 $\"\n<hash> ok").ToDescriptor();

        Assert.Equal(449, descriptor.Code);
        Assert.Equal("RFC 8122 ?5: ?sha-256 $??<hash> ok", descriptor.Text);
    }
}
