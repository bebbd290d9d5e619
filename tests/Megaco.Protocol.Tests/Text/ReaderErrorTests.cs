using System.Text;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>Bad input is normal input: every fault is a structured error with its H.248.8 code and position.</summary>
public sealed class ReaderErrorTests
{
    private static MegacoReadResult Read(string text, MegacoLimits? limits = null) =>
        new MegacoTextReader(limits).Read(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("MEGACO", 1, 1)]
    [InlineData("HELLO/1 [1.2.3.4] T=1{C=-{N=ROOT{OE=1{g/x}}}}", 1, 1)]
    [InlineData("MEGACO/1 [1.2.3.4]", 1, 19)]
    [InlineData("MEGACO/1 [1.2.3.4] Bogus=1{}", 1, 20)]
    [InlineData("MEGACO/1 [1.2.3.4.5] T=1{C=-{N=ROOT{OE=1{g/x}}}}", 1, 11)]
    [InlineData("MEGACO/1 [2031::130F::9C0] T=1{C=-{N=ROOT{OE=1{g/x}}}}", 1, 11)]
    [InlineData("MEGACO/1 [1.2.3.4]:65536 T=1{C=-{N=ROOT{OE=1{g/x}}}}", 1, 20)]
    [InlineData("MEGACO/1 [1.2.3.4] T=4294967296{C=-{N=ROOT{OE=1{g/x}}}}", 1, 22)]
    [InlineData("MEGACO/1 [1.2.3.4]\nP=1{ER=400{\"unterminated}}", 2, 12)]
    public void MessageLevelFaultsAre400WithPosition(string text, int line, int column)
    {
        var error = Read(text).FirstError;
        Assert.NotNull(error);
        Assert.Equal(H248ErrorCode.SyntaxErrorInMessage, error.Code);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.False(string.IsNullOrEmpty(error.Expected));
    }

    [Theory]
    [InlineData("MEGACO/4 [1.2.3.4] T=1{C=-{N=ROOT{OE=1{g/x}}}}")]
    [InlineData("MEGACO/0 [1.2.3.4] T=1{C=-{N=ROOT{OE=1{g/x}}}}")]
    [InlineData("!/10 [1.2.3.4] T=1{C=-{N=ROOT{OE=1{g/x}}}}")]
    public void UnsupportedVersionIs406(string text)
    {
        var result = Read(text);
        Assert.Equal(H248ErrorCode.VersionNotSupported, result.Error?.Code);
        Assert.Equal(1, result.Error!.Line);
    }

    [Fact]
    public void ABrokenTransactionIsReportedAloneAndTheOthersStillDecode()
    {
        var text = """
            MEGACO/2 [1.2.3.4]:2944
            Transaction = 1 { Context = - { Notify = ROOT { ObservedEvents = 1 { g/cause } } } }
            Transaction = 2 { Context = - { Notify = ROOT { ObservedEvents = 70000x { g/cause } } } }
            Transaction = 3 { Context = 5 { Subtract = t1 } }
            """;
        var result = Read(text);
        Assert.Null(result.Error);
        Assert.NotNull(result.Message);
        Assert.Equal([1u, 3u], result.Message.Transactions.Select(t => ((TransactionRequest)t).TransactionId));
        var error = Assert.Single(result.TransactionErrors);
        Assert.Equal(H248ErrorCode.SyntaxErrorInTransactionRequest, error.Code);
        Assert.Equal(2u, error.TransactionId);
        Assert.Equal((3, 71), (error.Line, error.Column));
        Assert.Equal("RequestID", error.Expected);
    }

    [Theory]
    [InlineData("T=1{C=-{MF=t1{M{ST=65536{O{MO=SR}}}}}}", "StreamID")]
    [InlineData("T=1{C=-{MF=t1{M{O{MO=SendSomething}}}}}", "streamModes")]
    [InlineData("T=1{C=4294967295{MF=t1}}", "ContextID")]
    [InlineData("T=1{C=-{PR=65536,MF=t1}}", "priority")]
    [InlineData("T=1{C=-{Frobnicate=t1}}", "commandRequest")]
    [InlineData("T=1{C=-{SC=ROOT{SV{RE=901}}}}", "serviceChangeMethod")]
    [InlineData("T=1{C=-{SC=ROOT{SV{MT=RS,RE=901,AD=55,MG=<m>}}}}", "serviceChangeDescriptor")]
    [InlineData("T=1{C=-{MF=t1{M{L{v=0}}}}", "RBRKT")]
    [InlineData("T=1{C=-{N=ROOT{OE=1{g/x}}}", "RBRKT")]
    public void TransactionFaultsAre403WithTheTransactionId(string body, string expected)
    {
        var result = Read("!/3 [1.2.3.4] " + body);
        var error = result.FirstError;
        Assert.NotNull(error);
        Assert.Equal(H248ErrorCode.SyntaxErrorInTransactionRequest, error.Code);
        Assert.Equal(1u, error.TransactionId);
        Assert.Equal(expected, error.Expected);
    }

    [Fact]
    public void DuplicatedLocalControlPropertyIs456()
    {
        var result = Read("!/3 ML T=7{C=${A=t/01{M{O{MO=SR,RV=OFF,MO=SO}}}}}");
        var error = Assert.Single(result.TransactionErrors);
        Assert.Equal(H248ErrorCode.PropertyAppearsTwiceInThisDescriptor, error.Code);
        Assert.Equal(7u, error.TransactionId);
        Assert.Equal(40, error.Column);
    }

    [Fact]
    public void NestingBeyondTheLimitIsRefused()
    {
        var deep = "!/3 [1.2.3.4] T=1{C=-{MF=t1{E=1{g/x{EM{E=2{g/y{EM{SG{g/z}}}}}}}}}}";
        Assert.True(Read(deep).IsSuccess);
        var result = Read(deep, MegacoLimits.Default with { MaxNestingDepth = 6 });
        Assert.Contains("nesting", result.FirstError?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedMessageIsRefusedBeforeParsing()
    {
        var text = "!/1 [1.2.3.4] T=1{C=-{N=ROOT{OE=1{g/x}}}}" + new string(' ', 70_000);
        var result = Read(text);
        Assert.Equal(H248ErrorCode.SyntaxErrorInMessage, result.Error?.Code);
        Assert.Contains("exceeds", result.Error!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LongListsAndTokensAreBounded()
    {
        var limits = MegacoLimits.Default with { MaxListLength = 10, MaxTokenLength = 32 };
        var many = string.Join(",", Enumerable.Range(0, 11).Select(i => $"p/x{i}=1"));
        Assert.Contains("more than 10", Read($"!/1 [1.2.3.4] T=1{{C=-{{MF=t1{{M{{O{{{many}}}}}}}}}}}", limits).FirstError?.Reason, StringComparison.Ordinal);
        Assert.Contains("longer than 32", Read($"!/1 [1.2.3.4] T=1{{C=-{{MF={new string('a', 40)}}}}}", limits).FirstError?.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyTransactionsIs413()
    {
        var text = "!/1 [1.2.3.4] " + string.Concat(Enumerable.Range(1, 5).Select(i => $"T={i}{{C=-{{N=ROOT{{OE=1{{g/x}}}}}}}}"));
        var result = Read(text, MegacoLimits.Default with { MaxTransactionsPerMessage = 4 });
        Assert.Equal(H248ErrorCode.NumberOfTransactionsInMessageExceedsMaximum, result.Error?.Code);
    }

    [Fact]
    public void GarbageAndNulBytesNeverThrow()
    {
        var random = new Random(4711);
        var seed = Encoding.ASCII.GetBytes("!/3 [1.2.3.4] T=1{C=-{MF=t1{M{ST=1{O{MO=SR},L{\nv=0\nm=message 7 TCP/MSRP *\n}}}}}}");
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = (byte[])seed.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            var cut = bytes.AsSpan(0, random.Next(bytes.Length + 1));
            var result = MegacoTextReader.Default.Read(cut);
            Assert.True(result.IsSuccess || result.FirstError is { Line: > 0, Column: > 0 });
        }
    }

    /// <summary>
    /// Mutated corpus messages: whatever the reader accepts, the writer can write back in both styles
    /// and the result reads back to the same model (so no accepted input can make the writer throw).
    /// </summary>
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("H248_MUTATION_ROUNDS"), out var rounds) ? rounds : 20;

    [Fact]
    public void WhateverIsAcceptedCanBeWrittenBack()
    {
        var random = new Random(1234);
        var corpus = Directory.EnumerateFiles(RepoPaths.OwnCorpus, "*.txt", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(RepoPaths.OtpCorpus, "*.txt", SearchOption.AllDirectories))
            .Where(f => !f.Contains("invalid", StringComparison.Ordinal))
            .Select(File.ReadAllBytes)
            .ToArray();
        var accepted = 0;
        foreach (var original in corpus)
        {
            for (var round = 0; round < Rounds; round++)
            {
                var bytes = new List<byte>(original);
                for (var k = random.Next(1, 3); k > 0; k--)
                {
                    // Printable replacements, insertions and deletions, so that many mutants still parse.
                    var at = random.Next(bytes.Count);
                    switch (random.Next(3))
                    {
                        case 0:
                            bytes[at] = (byte)random.Next(32, 127);
                            break;
                        case 1:
                            bytes.Insert(at, (byte)random.Next(32, 127));
                            break;
                        default:
                            bytes.RemoveAt(at);
                            break;
                    }
                }
                var read = MegacoTextReader.Default.Read(bytes.ToArray());
                if (!read.IsSuccess)
                {
                    continue;
                }
                accepted++;
                foreach (var style in new[] { TextStyle.Pretty, TextStyle.Compact })
                {
                    var again = MegacoTextReader.Default.Read(MegacoTextWriter.ToBytes(read.Message!, style));
                    Assert.True(again.IsSuccess && again.Message == read.Message,
                        $"{style}: {again.FirstError}\n{Encoding.ASCII.GetString(bytes.ToArray())}");
                }
            }
        }
        Assert.True(accepted > 1000, $"only {accepted} mutants were accepted");
    }
}
