using System.Text;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Profiles;

/// <summary>
/// Messages written to abuse the reader and the profile check together, as they arrive from the
/// network: each is refused with its H.248.8 code, and refusing it again and again allocates the
/// same bounded amount per message (no growth with repetition, no exception).
/// </summary>
public sealed class ProfileAbuseTests
{
    private static readonly ProfileValidator Iq = new(ProfileData.Catalog, ProfileData.Catalog.GetProfile("iq"));

    private static string Modify(string localControl) =>
        "MEGACO/3 [10.0.0.1]:2944\nTransaction = 9 { Context = 1 { Modify = ip/1 { Media { Stream = 1 { LocalControl { "
        + localControl + " } } } } } }\n";

    private static string Properties(int count, Func<int, string> property) =>
        string.Join(", ", Enumerable.Range(0, count).Select(property));

    /// <summary>Reads <paramref name="text"/> and validates its first command; the H.248.8 code of the first fault, reader or profile.</summary>
    private static ushort? Refusal(byte[] text)
    {
        var read = MegacoTextReader.Default.Read(text);
        if (read.FirstError is { } syntax)
        {
            return (ushort)syntax.Code;
        }
        var command = ((TransactionRequest)read.Message!.Transactions[0]).Actions[0].Commands[0];
        return Iq.Validate(command)?.Code;
    }

    /// <summary>The code the reader refuses <paramref name="text"/> with: a syntax error, before any profile check.</summary>
    private static H248ErrorCode ReaderRefusal(string text)
    {
        var read = MegacoTextReader.Default.Read(text);
        Assert.False(read.IsSuccess);
        var code = read.FirstError!.Code;
        Assert.True(code is H248ErrorCode.SyntaxErrorInMessage or H248ErrorCode.SyntaxErrorInTransactionRequest, read.FirstError.ToString());
        return code;
    }

    private static void RefusedWithBoundedCost(string text, H248ErrorCode expected, int bytesPerInputByte)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.Equal((ushort)expected, Refusal(bytes));
        const int Rounds = 50;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            Assert.Equal((ushort)expected, Refusal(bytes));
        }
        var perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / Rounds;
        Assert.True(perMessage <= (long)bytesPerInputByte * bytes.Length,
            perMessage + " bytes allocated per " + bytes.Length + "-byte message, bound " + bytesPerInputByte + " per input byte");
    }

    [Fact]
    public void Thousands_of_properties_in_one_descriptor_are_refused_by_the_reader()
    {
        var text = Modify(Properties(5_000, i => "ds/dscp=" + (i % 64).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(text.Length < MegacoLimits.Default.MaxMessageBytes);
        RefusedWithBoundedCost(text, ReaderRefusal(text), 16);
    }

    [Fact]
    public void A_long_list_of_one_repeated_property_is_refused_at_the_first_repeat()
    {
        var text = Modify(Properties(1_000, _ => "ds/dscp=46"));
        RefusedWithBoundedCost(text, H248ErrorCode.PropertyAppearsTwiceInThisDescriptor, 64);
    }

    [Fact]
    public void Hundreds_of_unknown_packages_are_refused_at_the_first()
    {
        var text = Modify(Properties(900, i => "x" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/p=1"));
        RefusedWithBoundedCost(text, H248ErrorCode.UnsupportedOrUnknownPackage, 64);
    }

    [Fact]
    public void Hundreds_of_unknown_events_are_refused_at_the_first()
    {
        var events = string.Join(", ", Enumerable.Range(0, 900).Select(i => "e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/x"));
        var text = "MEGACO/3 [10.0.0.1]:2944\nTransaction = 9 { Context = 1 { Modify = ip/1 { Events = 3 { " + events + " } } } }\n";
        RefusedWithBoundedCost(text, H248ErrorCode.UnsupportedOrUnknownPackage, 64);
    }

    [Fact]
    public void Deep_brace_nesting_is_refused_by_the_reader_without_recursing()
    {
        const int Levels = 1_000;
        var text = "MEGACO/3 [10.0.0.1]:2944\nTransaction = 9 { Context = 1 { Modify = ip/1 { Events = 3 { g/cause "
            + string.Concat(Enumerable.Repeat("{ Embed { Events = 4 { g/cause ", Levels))
            + string.Concat(Enumerable.Repeat("} ", 3 * Levels)) + " } } } }\n";
        Assert.True(text.Length < MegacoLimits.Default.MaxMessageBytes);
        RefusedWithBoundedCost(text, ReaderRefusal(text), 16);
    }

    [Fact]
    public void Embedded_events_inside_embedded_events_are_refused_by_the_reader()
    {
        // H.248.1 Annex B: secondEventParameter carries an embedded Signals descriptor only.
        const string Text = "MEGACO/3 [10.0.0.1]:2944\nTransaction = 9 { Context = 1 { Modify = ip/1 { Events = 3 { g/cause "
            + "{ Embed { Events = 4 { g/cause { Embed { Events = 5 { nt/netfail } } } } } } } } } }\n";
        Assert.Equal(H248ErrorCode.SyntaxErrorInTransactionRequest, ReaderRefusal(Text));
        Assert.Contains("embed", MegacoTextReader.Default.Read(Text).FirstError!.Reason, StringComparison.OrdinalIgnoreCase);
    }
}
