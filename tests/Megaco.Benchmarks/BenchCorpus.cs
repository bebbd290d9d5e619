using Megaco.Protocol.Model;
using Megaco.Protocol.Text;

namespace Megaco.Benchmarks;

/// <summary>
/// The messages a codec benchmark runs over: every valid *.txt under the directory named by
/// H248_BENCH_CORPUS, or by default under tests/corpus (our own corpus; invalid/ and as-published/
/// are left out, since they are not messages).
/// </summary>
internal static class BenchCorpus
{
    public static IReadOnlyList<byte[]> Load()
    {
        var dir = Environment.GetEnvironmentVariable("H248_BENCH_CORPUS");
        if (string.IsNullOrEmpty(dir))
        {
            dir = Megaco.TestSupport.RepoPaths.OwnCorpus;
        }
        var messages = new List<byte[]>();
        foreach (var file in Directory.EnumerateFiles(dir, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var rel = Path.GetRelativePath(dir, file);
            if (rel.Contains("invalid", StringComparison.Ordinal) || rel.Contains("as-published", StringComparison.Ordinal)
                || rel.Contains("rejected", StringComparison.Ordinal))
            {
                continue;
            }
            var bytes = File.ReadAllBytes(file);
            if (MegacoTextReader.Default.Read(bytes).IsSuccess)
            {
                messages.Add(bytes);
            }
        }
        if (messages.Count == 0)
        {
            throw new InvalidOperationException($"no valid H.248 messages under {dir}");
        }
        return messages;
    }

    public static IReadOnlyList<MegacoMessage> Decode(IReadOnlyList<byte[]> messages) =>
        messages.Select(m => MegacoTextReader.Default.Read(m).Message!).ToArray();
}
