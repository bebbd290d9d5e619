using System.Text;

namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// Header names the MG acts on, compared as RFC 4975 §9 writes them: quoted ABNF strings, which RFC 5234
/// §2.3 makes case-insensitive.
/// </summary>
internal static class MsrpHeaderNames
{
    public static bool IsToPath(ReadOnlySpan<byte> name) => Ascii.EqualsIgnoreCase(name, "To-Path"u8);

    public static bool IsFromPath(ReadOnlySpan<byte> name) => Ascii.EqualsIgnoreCase(name, "From-Path"u8);

    public static bool IsPath(ReadOnlySpan<byte> name) => IsToPath(name) || IsFromPath(name);

    public static bool IsMessageId(ReadOnlySpan<byte> name) => Ascii.EqualsIgnoreCase(name, "Message-ID"u8);

    public static bool IsByteRange(ReadOnlySpan<byte> name) => Ascii.EqualsIgnoreCase(name, "Byte-Range"u8);

    public static bool IsSuccessReport(ReadOnlySpan<byte> name) => Ascii.EqualsIgnoreCase(name, "Success-Report"u8);

    public static bool IsFailureReport(ReadOnlySpan<byte> name) => Ascii.EqualsIgnoreCase(name, "Failure-Report"u8);
}
