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

    /// <summary>The text with URIs replaced in To-Path and From-Path lines only, pair by pair in order: what a path rewriter should make of it.</summary>
    public static string ReplaceInPaths(string text, params (string From, string To)[] map)
    {
        var lines = text.Split("\r\n");
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("To-Path:", StringComparison.Ordinal) || lines[i].StartsWith("From-Path:", StringComparison.Ordinal))
            {
                foreach (var (from, to) in map)
                {
                    lines[i] = lines[i].Replace(from, to, StringComparison.Ordinal);
                }
            }
        }
        return string.Join("\r\n", lines);
    }
}
