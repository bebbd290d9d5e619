using System.Text;
using Megaco.Mg.Cli;
using Megaco.Protocol.Text;

namespace Megaco.Mg.Tests.Cli;

/// <summary>The operator's <c>decode</c> verb: rewrite good files, report bad ones as FILE:LINE:COL, go on, exit 1.</summary>
public sealed class DecodeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("h248-decode-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Status, string Out, string Err) Run(string stdin, params string[] args)
    {
        using var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var status = DecodeCommand.Run(args, new StringReader(stdin), stdout, stderr);
        return (status, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    private const string Good = "!/2 [127.0.0.1]:2944 T=5{C=-{MF=t1{M{O{MO=SR}}}}}";

    [Fact]
    public void WritesPrettyByDefaultAndCompactOnRequest()
    {
        var file = Write("good.txt", Good);
        var pretty = Run("", file);
        Assert.Equal((0, ""), (pretty.Status, pretty.Err));
        Assert.StartsWith("MEGACO/2 [127.0.0.1]:2944\nTransaction = 5 {", pretty.Out, StringComparison.Ordinal);
        var compact = Run("", "--compact", file);
        Assert.Equal(0, compact.Status);
        Assert.Equal(MegacoTextWriter.ToText(MegacoTextReader.Default.Read(Good).Message!, TextStyle.Compact) + "\n", compact.Out);
    }

    [Fact]
    public void ReportsEachBadFileWithItsPlaceAndGoesOn()
    {
        var bad = Write("bad.txt", "!/2 [127.0.0.1]:2944\nT=6{C=-{MF=t1{M{O{MO=Sideways}}}}}");
        var version = Write("v4.txt", "MEGACO/4 [127.0.0.1] T=1{C=-{MF=t1}}");
        var good = Write("good.txt", Good);
        var (status, output, errors) = Run("", bad, version, good);
        Assert.Equal(1, status);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{bad}:2:22: error 403: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"{version}:1:8: error 406: ", lines[1], StringComparison.Ordinal);
        Assert.Contains("Transaction = 5", output, StringComparison.Ordinal);
    }

    [Fact]
    public void WritesIntoAnOutputDirectoryAndReadsStdin()
    {
        var outDir = Path.Combine(_dir, "out");
        var file = Write("a.txt", Good);
        var (status, output, _) = Run(Good, "--out", outDir, file, "-");
        Assert.Equal((0, ""), (status, output));
        Assert.True(MegacoTextReader.Default.Read(File.ReadAllBytes(Path.Combine(outDir, "a.txt"))).IsSuccess);
        Assert.True(MegacoTextReader.Default.Read(File.ReadAllBytes(Path.Combine(outDir, "stdin.txt"))).IsSuccess);
    }

    [Fact]
    public void MissingFileIsAnErrorNotACrash()
    {
        var (status, _, errors) = Run("", Path.Combine(_dir, "nope.txt"));
        Assert.Equal(1, status);
        Assert.Contains("nope.txt", errors, StringComparison.Ordinal);
    }
}
