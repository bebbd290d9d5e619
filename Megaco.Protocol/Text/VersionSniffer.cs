using Megaco.Protocol.Model;
using Pidgin;
using static Pidgin.Parser;
using static Pidgin.Parser<char>;

namespace Megaco.Protocol.Text;

/// <summary>
/// Reads only the header of a text message: the version and the mId (as Erlang/OTP megaco's mini
/// grammar does), so that a message the full reader refuses can still be answered in its sender's
/// version and to its sender, and a transport can pick the per-version writer from the first message.
/// Written with Pidgin, whose combinators read like the ABNF; it stays off the decode path, where the
/// hand-written reader is several times faster (see HeaderBenchmarks).
/// </summary>
public static class VersionSniffer
{
    /// <summary>Headers end well within this; a longer prefix is not looked at.</summary>
    public const int MaxHeaderChars = 512;

    // LWSP = *(WSP / COMMENT / EOL); COMMENT = ";" *(SafeChar / RestChar / WSP / %x22) EOL
    private static readonly Parser<char, Unit> Lwsp =
        Token(c => c is ' ' or '\t' or '\r' or '\n').IgnoreResult()
            .Or(Char(';').Then(Token(c => c is not ('\r' or '\n')).SkipMany()))
            .SkipMany()
            .Labelled("LWSP");

    private static readonly Parser<char, Unit> Sep =
        Token(c => c is ' ' or '\t' or '\r' or '\n').SkipAtLeastOnce().Then(Lwsp).Labelled("SEP");

    // authenticationHeader = AuthToken EQUAL SecurityParmIndex COLON SequenceNum COLON AuthData: skipped whole.
    private static readonly Parser<char, Unit> AuthenticationHeader =
        Try(Try(CIString("Authentication")).Or(CIString("AU")).Then(Lwsp).Then(Char('=')))
            .Then(Lwsp)
            .Then(Token(c => c is not (' ' or '\t' or '\r' or '\n')).SkipAtLeastOnce())
            .Then(Sep)
            .Labelled("authenticationHeader");

    // MegacopToken SLASH Version; Version = 1*2(DIGIT)
    private static readonly Parser<char, int> Version =
        Try(CIString("MEGACO")).Or(String("!"))
            .Then(Char('/'))
            .Then(Digit.AtLeastOnceString())
            .Assert(v => v.Length <= 2, "a 1 or 2 digit Version")
            .Select(int.Parse)
            .Labelled("Version");

    private static readonly Parser<char, ushort?> Port =
        Char(':').Then(Digit.AtLeastOnceString())
            .Assert(p => p.Length <= 5 && int.Parse(p) <= ushort.MaxValue, "a portNumber")
            .Select(p => (ushort?)ushort.Parse(p))
            .Optional()
            .Select(p => p.HasValue ? p.Value : null);

    // domainAddress = "[" (IPv4address / IPv6address) "]"; domainName = "<" name ">"; mtpAddress = MTPToken LBRKT 4*8(HEXDIG) RBRKT
    private static readonly Parser<char, MId> DomainAddress =
        Token(c => char.IsAsciiHexDigit(c) || c is '.' or ':').AtLeastOnceString().Between(Char('['), Char(']'))
            .Then(Port, (address, port) => address.Contains(':') ? MId.IPv6(address, port) : MId.IPv4(address, port));

    private static readonly Parser<char, MId> DomainName =
        Token(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_').AtLeastOnceString().Between(Char('<'), Char('>'))
            .Then(Port, MId.Domain);

    private static readonly Parser<char, MId> MtpAddress =
        Try(CIString("MTP").Then(Lwsp).Then(Char('{')))
            .Then(Lwsp)
            .Then(Token(char.IsAsciiHexDigit).AtLeastOnceString())
            .Before(Lwsp.Then(Char('}')))
            .Select(MId.Mtp);

    private static readonly Parser<char, MId> DeviceName =
        Token(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '*' or '_' or '$' or '@' or '.' or '-').AtLeastOnceString()
            .Select(MId.Device);

    private static readonly Parser<char, MId> Mid =
        OneOf(DomainAddress, DomainName, MtpAddress, DeviceName).Labelled("mId");

    // megacoMessage = LWSP [authenticationHeader SEP] message; message = MegacopToken SLASH Version SEP mId SEP ...
    private static readonly Parser<char, MessageHeader> Header =
        Lwsp.Then(AuthenticationHeader.Optional())
            .Then(Version)
            .Before(Sep.Or(Lookahead(Token(c => c is '[' or '<').IgnoreResult())))
            .Then(Mid, (version, mid) => new MessageHeader(version, mid));

    /// <summary>The header of <paramref name="message"/>, or null when it has none that can be read.</summary>
    public static MessageHeader? Sniff(ReadOnlySpan<byte> message)
    {
        var length = Math.Min(message.Length, MaxHeaderChars);
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)message[i];
        }
        var result = Header.Parse(chars);
        return result.Success ? result.Value : null;
    }
}
