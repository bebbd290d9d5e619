using Megaco.Protocol.Text;

namespace Megaco.Mg.Cli;

/// <summary>
/// <c>decode [--compact] [--out DIR] FILE...</c>: reads one H.248 text message per file (<c>-</c> is
/// standard input) and writes it back, pretty unless <c>--compact</c>, to standard output or to
/// <c>DIR/&lt;file name&gt;</c>. A bad file is reported as <c>FILE:LINE:COL: error CODE: reason</c> on
/// standard error and the rest still run; the exit status is 0 when every file decoded, else 1.
/// </summary>
internal static class DecodeCommand
{
    public const string Usage = "usage: Megaco.Mg decode [--compact] [--out DIR] FILE...   (FILE may be - for stdin)";

    public static int Run(IReadOnlyList<string> args, TextReader stdin, Stream stdout, TextWriter stderr)
    {
        var style = TextStyle.Pretty;
        string? outDir = null;
        var files = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--compact":
                    style = TextStyle.Compact;
                    break;
                case "--out" when i + 1 < args.Count:
                    outDir = args[++i];
                    break;
                case "--out":
                    stderr.WriteLine("decode: --out needs a directory");
                    stderr.WriteLine(Usage);
                    return 2;
                case "-h" or "--help":
                    stderr.WriteLine(Usage);
                    return 0;
                default:
                    files.Add(args[i]);
                    break;
            }
        }
        if (files.Count == 0)
        {
            stderr.WriteLine(Usage);
            return 2;
        }
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
        }

        var reader = MegacoTextReader.Default;
        var allGood = true;
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                bytes = file == "-" ? System.Text.Encoding.UTF8.GetBytes(stdin.ReadToEnd()) : File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"{file}:0:0: error 0: {e.Message}");
                allGood = false;
                continue;
            }

            var result = reader.Read(bytes);
            if (!result.IsSuccess)
            {
                if (result.Error is { } error)
                {
                    stderr.WriteLine($"{file}:{error.Line}:{error.Column}: error {(int)error.Code}: {error.Reason} (expected {error.Expected})");
                }
                foreach (var transactionError in result.TransactionErrors)
                {
                    var id = transactionError.TransactionId is { } t ? $" in transaction {t}" : string.Empty;
                    stderr.WriteLine($"{file}:{transactionError.Line}:{transactionError.Column}: error {(int)transactionError.Code}: {transactionError.Reason}{id} (expected {transactionError.Expected})");
                }
                allGood = false;
                continue;
            }

            var text = MegacoTextWriter.ToBytes(result.Message!, style);
            if (outDir is null)
            {
                stdout.Write(text);
                stdout.Write("\n"u8);
            }
            else
            {
                var name = file == "-" ? "stdin.txt" : Path.GetFileName(file);
                File.WriteAllBytes(Path.Combine(outDir, name), text);
            }
        }
        stdout.Flush();
        return allGood ? 0 : 1;
    }
}
