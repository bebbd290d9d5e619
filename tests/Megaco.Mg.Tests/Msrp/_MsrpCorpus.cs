using System.Text;

namespace Megaco.Mg.Tests.Msrp;

/// <summary>The files of <c>Msrp/Corpus</c>, with LF line ends turned into CRLF as on the wire.</summary>
internal static class MsrpCorpus
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Msrp", "Corpus");

    public static IEnumerable<object[]> Names() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.msrp").Select(Path.GetFileName).Order(StringComparer.Ordinal).Select(n => new object[] { n! });

    public static byte[] Load(string name) => Latin1(Text(name));

    public static string Text(string name) =>
        File.ReadAllText(Path.Combine(Directory, name), Encoding.Latin1).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);

    public static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
