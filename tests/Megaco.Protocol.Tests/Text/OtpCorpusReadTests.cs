using Megaco.Protocol.Errors;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>
/// Every message Erlang/OTP megaco's encoders wrote (../shared/corpus) is read without error; the few
/// hand-written texts Erlang accepts although they break H.248.1 Annex B are refused with the fault's place.
/// </summary>
public sealed class OtpCorpusReadTests
{
    /// <summary>Texts Erlang/OTP megaco's lenient scanner accepts that the Annex B ABNF does not allow.</summary>
    public static readonly IReadOnlyDictionary<string, (H248ErrorCode Code, int Line, int Column, string Why)> NotAbnf =
        new Dictionary<string, (H248ErrorCode, int, int, string)>(StringComparer.Ordinal)
        {
            // transactionRequest = TransToken EQUAL TransactionID LBRKT ...: the id is not optional.
            ["v1/077-compact_otp4359_msg_1.literal.txt"] = (H248ErrorCode.SyntaxErrorInMessage, 1, 11, "transaction id missing"),
            ["v2/099-compact_otp4359_msg_1.literal.txt"] = (H248ErrorCode.SyntaxErrorInMessage, 1, 11, "transaction id missing"),
            ["v3/183-compact_otp4359_msg_1.literal.txt"] = (H248ErrorCode.SyntaxErrorInMessage, 1, 11, "transaction id missing"),
            // A format template ("T:~s"), not a message: Timer = 1*2(DIGIT).
            ["v1/075-build_dm_timers_message_1.literal.txt"] = (H248ErrorCode.SyntaxErrorInTransactionRequest, 2, 104, "digit map timer is a template"),
            ["v2/097-build_dm_timers_message_1.literal.txt"] = (H248ErrorCode.SyntaxErrorInTransactionRequest, 2, 102, "digit map timer is a template"),
            ["v3/181-build_dm_timers_message_1.literal.txt"] = (H248ErrorCode.SyntaxErrorInTransactionRequest, 2, 102, "digit map timer is a template"),
        };

    public static TheoryData<string> ValidFiles() => Files(f => !f.Contains("rejected-by-erlang", StringComparison.Ordinal)
        && !NotAbnf.ContainsKey(Path.GetRelativePath(RepoPaths.OtpCorpus, f)));

    public static TheoryData<string> NotAbnfFiles() => Files(f => NotAbnf.ContainsKey(Path.GetRelativePath(RepoPaths.OtpCorpus, f)));

    internal static TheoryData<string> Files(Func<string, bool> filter)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoPaths.OtpCorpus, "*.txt", SearchOption.AllDirectories)
                     .Where(filter)
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepoPaths.OtpCorpus, file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void Reads(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.OtpCorpus, file));
        var result = MegacoTextReader.Default.Read(bytes);
        Assert.True(result.IsSuccess, $"{file}: {result.FirstError}");
    }

    public static TheoryData<string> RejectedByErlang() => Files(f => f.Contains("rejected-by-erlang", StringComparison.Ordinal));

    /// <summary>
    /// Each text Erlang/OTP megaco refuses is refused here too, each for a reason Annex B or Annex A gives:
    /// a duplicated LocalControl property (456), a malformed IPv6 address, an empty terminationAudit,
    /// a truncated message, a ServiceChange without Method or Reason, a duplicated ServiceChange
    /// parameter, ServiceChangeAddress beside MgcIdToTry (§7.2.8), and version 4 (406).
    /// </summary>
    [Theory]
    [MemberData(nameof(RejectedByErlang))]
    public void RefusesWhatErlangRefuses(string file)
    {
        var result = MegacoTextReader.Default.Read(File.ReadAllBytes(Path.Combine(RepoPaths.OtpCorpus, file)));
        Assert.NotNull(result.FirstError);
    }

    [Theory]
    [MemberData(nameof(NotAbnfFiles))]
    public void RefusesWhatTheAbnfDoesNotAllow(string file)
    {
        var expected = NotAbnf[file];
        var result = MegacoTextReader.Default.Read(File.ReadAllBytes(Path.Combine(RepoPaths.OtpCorpus, file)));
        var error = result.FirstError;
        Assert.NotNull(error);
        Assert.Equal((expected.Code, expected.Line, expected.Column), (error.Code, error.Line, error.Column));
    }
}
