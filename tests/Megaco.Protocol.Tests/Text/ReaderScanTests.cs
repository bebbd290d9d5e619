using System.Text;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>
/// The reader's fast scans give the same answers as reading whole words: numbers parsed while scanned,
/// and SDP lines found before their list is made (on the stack up to a bound, past it in a list builder).
/// </summary>
public sealed class ReaderScanTests
{
    private const string Body = "{C=-{N=ROOT{OE=1{g/x}}}}";

    private static MegacoReadResult Read(string text, MegacoLimits? limits = null) =>
        new MegacoTextReader(limits).Read(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("0012", 12u)]
    [InlineData("4294967295", uint.MaxValue)]
    [InlineData("1", 1u)]
    public void Transaction_ids_are_read_as_scanned(string id, uint expected)
    {
        var result = Read($"MEGACO/1 [1.2.3.4] T={id}{Body}");
        Assert.True(result.IsSuccess, result.FirstError?.ToString());
        Assert.Equal(expected, Assert.IsType<TransactionRequest>(Assert.Single(result.Message!.Transactions)).TransactionId);
    }

    [Theory]
    [InlineData("T=12a", 24, "expected a UINT32")]
    [InlineData("T=4294967296", 22, "UINT32 out of range")]
    [InlineData("T=99999999999999999999", 22, "UINT32 out of range")]
    public void A_bad_number_is_reported_where_and_as_a_word_read_would(string transaction, int column, string reason)
    {
        var error = Read($"MEGACO/1 [1.2.3.4] {transaction}{Body}").FirstError;
        Assert.NotNull(error);
        Assert.Equal(H248ErrorCode.SyntaxErrorInMessage, error.Code);
        Assert.Equal((1, column), (error.Line, error.Column));
        Assert.Equal(reason, error.Reason);
    }

    [Fact]
    public void Leading_zeros_past_the_token_limit_are_refused_as_a_long_token()
    {
        var zeros = new string('0', 40);
        var error = Read($"MEGACO/1 [1.2.3.4] T={zeros}1{Body}", new MegacoLimits { MaxTokenLength = 32 }).FirstError;
        Assert.NotNull(error);
        Assert.Contains("longer than 32", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("C=0", "reserved context id written as a number")]
    [InlineData("C=4294967295", "reserved context id written as a number")]
    [InlineData("C=12x", "expected a UINT32")]
    [InlineData("C=4294967296", "UINT32 out of range")]
    public void Context_ids_written_as_numbers_are_checked(string context, string reason)
    {
        var result = Read($"MEGACO/1 [1.2.3.4] T=1{{{context}{{N=ROOT{{OE=1{{g/x}}}}}}}}");
        var error = result.FirstError;
        Assert.NotNull(error);
        Assert.Equal(reason, error.Reason);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("$")]
    [InlineData("*")]
    [InlineData("17")]
    public void Context_ids_of_every_form_are_read(string context)
    {
        var result = Read($"MEGACO/1 [1.2.3.4] T=1{{C={context}{{N=ROOT{{OE=1{{g/x}}}}}}}}");
        Assert.True(result.IsSuccess, result.FirstError?.ToString());
        var action = Assert.Single(Assert.IsType<TransactionRequest>(Assert.Single(result.Message!.Transactions)).Actions);
        var expected = context switch
        {
            "-" => ContextId.Null,
            "$" => ContextId.Choose,
            "*" => ContextId.All,
            _ => new ContextId(17),
        };
        Assert.Equal(expected, action.ContextId);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(70)]
    public void Every_SDP_line_is_kept_in_order_whatever_their_number(int count)
    {
        var lines = Enumerable.Range(0, count).Select(i => $"a=x-line:{i}").ToArray();
        var sdp = "\n    " + string.Join("\n\n    ", lines) + "\n  ";
        var result = Read("MEGACO/1 [1.2.3.4] T=1{C=1{MF=t1{M{ST=1{L{" + sdp + "}}}}}}");
        Assert.True(result.IsSuccess, result.FirstError?.ToString());
        var request = Assert.IsType<TransactionRequest>(Assert.Single(result.Message!.Transactions));
        var amm = Assert.IsType<AmmRequest>(Assert.Single(Assert.Single(request.Actions).Commands).Command);
        var media = Assert.IsType<MediaDescriptor>(Assert.Single(amm.Descriptors));
        var local = Assert.Single(media.Streams).Parms.Local;
        Assert.NotNull(local);
        Assert.Equal(lines, local.Lines.Select(l => l.Text));
    }
}
