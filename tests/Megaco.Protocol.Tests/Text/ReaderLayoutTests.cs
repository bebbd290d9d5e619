using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>
/// Reader fixes found by the round-trip properties: what the reader returns must not depend on layout
/// (white space before a closing brace) nor drop parts of a message with a message-level error.
/// </summary>
public sealed class ReaderLayoutTests
{
    [Fact]
    public void Digit_map_body_excludes_the_white_space_before_the_closing_brace()
    {
        var result = MegacoTextReader.Default.Read(
            "MEGACO/1 [192.0.2.1]\nTransaction = 1 {\n\tContext = - {\n\t\tModify = t1 {\n\t\t\tDigitMap = {\n\t\t\t\tL:79,\n\t\t\t\t(1xx|2xx)\n\t\t\t}\n\t\t}\n\t}\n}");

        Assert.True(result.IsSuccess, result.FirstError?.Reason);
        var request = (TransactionRequest)result.Message!.Transactions[0];
        var modify = (AmmRequest)request.Actions[0].Commands[0].Command;
        Assert.Equal(new DigitMapDescriptor(null, new DigitMapValue("(1xx|2xx)", LongTimer: 79)), modify.Descriptors[0]);
    }

    [Fact]
    public void Message_level_error_keeps_the_authentication_header()
    {
        var result = MegacoTextReader.Default.Read(
            "Authentication = 0x206aaa20:0xfffffffd:0x175fdddD92Ab8AA59B8D5ef2\nMEGACO/2 MTP{12345678}\nError = 500 {\"No such context\"}");

        Assert.True(result.IsSuccess, result.FirstError?.Reason);
        Assert.Equal(new AuthenticationHeader(0x206aaa20, 0xfffffffd, "175fdddD92Ab8AA59B8D5ef2"), result.Message!.Authentication);
        Assert.Equal(new ErrorDescriptor(500, "No such context"), result.Message.Error);
    }

    // contextAudit = ContextAuditToken LBRKT (contextAuditProperties ...) / indAudcontextAttrDescriptor RBRKT, and
    // contextAuditProperties includes the v3 contextAttrDescriptor: "CA{CT{g/x>5}}" is a selection, not indAud.
    [Fact]
    public void Context_audit_holding_only_a_context_attribute_selection()
    {
        var result = MegacoTextReader.Default.Read("!/3 mg1\nT=1{C=2{CA{CT{g/x1>7,g/x2=a}}}}");

        Assert.True(result.IsSuccess, result.FirstError?.Reason);
        var audit = ((TransactionRequest)result.Message!.Transactions[0]).Actions[0].ContextAudit;
        Assert.Equal(new ContextAttrAuditRequest(SelectProperties:
            [new PropertyParm(new PkgdName("g", "x1"), ["7"], ParmRelation.GreaterThan), PropertyParm.Of("g", "x2", "a")]), audit);
    }
}
