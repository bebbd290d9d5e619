using System.Text;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Interop;

/// <summary>
/// Erlang/OTP megaco as an outside oracle, through <c>tests/erlang/h248_oracle.erl</c>. Each call is
/// one batch: the module is compiled into a fresh temp folder, one <c>erl</c> runs every job, and the
/// folder is removed afterwards. Ids must be unique within a call and hold no TAB or line break;
/// results come back in input order.
/// </summary>
public static class ErlangOracle
{
    public const string MissingMessage = ErlangPeer.MissingMessage;

    /// <summary>A whole batch, VM start included; hundreds of corpus messages take about a second.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Decodes each file (pretty or compact, by its header) with Erlang's text decoder.</summary>
    public static IReadOnlyList<ErlangResult> DecodeFiles(IReadOnlyList<(string Id, string Path)> files, TimeSpan? timeout = null) =>
        Run("decode", files.Select(f => (f.Id, new[] { Path.GetFullPath(f.Path) })).ToList(), timeout, null);

    /// <summary>Decodes each message (for instance what our writer produced) with Erlang's text decoder.</summary>
    public static IReadOnlyList<ErlangResult> DecodeMessages(IReadOnlyList<(string Id, byte[] Message)> messages, TimeSpan? timeout = null) =>
        WithTempDir(dir => DecodeFiles(messages.Select((m, i) => (m.Id, Save(dir, i, "m", m.Message))).ToList(), timeout));

    /// <summary>Whether each pair of files decodes to the same <c>MegacoMessage</c> term.</summary>
    public static IReadOnlyList<ErlangResult> EqualFiles(IReadOnlyList<(string Id, string PathA, string PathB)> pairs, TimeSpan? timeout = null) =>
        Run("equal", pairs.Select(p => (p.Id, new[] { Path.GetFullPath(p.PathA), Path.GetFullPath(p.PathB) })).ToList(), timeout, null);

    /// <summary>Whether each pair of messages decodes to the same <c>MegacoMessage</c> term.</summary>
    public static IReadOnlyList<ErlangResult> EqualMessages(IReadOnlyList<(string Id, byte[] A, byte[] B)> pairs, TimeSpan? timeout = null) =>
        WithTempDir(dir => EqualFiles(
            pairs.Select((p, i) => (p.Id, Save(dir, i, "a", p.A), Save(dir, i, "b", p.B))).ToList(), timeout));

    /// <summary>Decodes each file and re-encodes it with Erlang's encoder of the given style; the bytes are in <see cref="ErlangResult.Encoded"/>.</summary>
    public static IReadOnlyList<ErlangResult> EncodeFiles(IReadOnlyList<(string Id, string Path, TextStyle Style)> files, TimeSpan? timeout = null) =>
        WithTempDir(dir =>
        {
            var outputs = files.Select((_, i) => Path.Combine(dir, $"{i}.out")).ToList();
            var jobs = files.Select((f, i) => (f.Id, new[] { Path.GetFullPath(f.Path), outputs[i], StyleName(f.Style) })).ToList();
            return Run("encode", jobs, timeout, outputs);
        });

    /// <summary>Decodes each message and re-encodes it with Erlang's encoder of the given style.</summary>
    public static IReadOnlyList<ErlangResult> EncodeMessages(IReadOnlyList<(string Id, byte[] Message, TextStyle Style)> messages, TimeSpan? timeout = null) =>
        WithTempDir(dir => EncodeFiles(messages.Select((m, i) => (m.Id, Save(dir, i, "in", m.Message), m.Style)).ToList(), timeout));

    private static string StyleName(TextStyle style) => style switch
    {
        TextStyle.Pretty => "pretty",
        TextStyle.Compact => "compact",
        _ => throw new ArgumentOutOfRangeException(nameof(style), style, null),
    };

    private static string Save(string dir, int index, string side, byte[] bytes)
    {
        var path = Path.Combine(dir, $"{index}.{side}.txt");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static T WithTempDir<T>(Func<string, T> body) => ExternalTool.WithTempDirectory("h248-erl-", body);

    /// <param name="outputs">For encode jobs, the OUT path of each job, read back into the result.</param>
    private static IReadOnlyList<ErlangResult> Run(
        string mode, IReadOnlyList<(string Id, string[] Fields)> jobs, TimeSpan? timeout, IReadOnlyList<string>? outputs)
    {
        var erl = ExternalTool.Require("erl", MissingMessage);
        var erlc = ExternalTool.Require("erlc", MissingMessage);
        var source = Path.Combine(RepoPaths.RepoRoot, "tests", "erlang", "h248_oracle.erl");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, fields) in jobs)
        {
            if (id.Length == 0 || id.AsSpan().IndexOfAny("\t\r\n") >= 0 || !ids.Add(id))
            {
                throw new ArgumentException($"job id '{id}' is empty, repeated, or holds a TAB or line break");
            }
            if (fields.Any(f => f.AsSpan().IndexOfAny("\t\r\n") >= 0))
            {
                throw new ArgumentException($"a path of job '{id}' holds a TAB or line break");
            }
        }
        if (jobs.Count == 0)
        {
            return [];
        }

        return WithTempDir(dir =>
        {
            var limit = timeout ?? DefaultTimeout;
            var compiled = ExternalTool.Run(erlc, ["-o", dir, source], limit);
            if (compiled.ExitCode != 0)
            {
                throw new InvalidOperationException($"erlc {source} failed: {compiled.StdOut}{compiled.StdErr}");
            }

            var manifest = Path.Combine(dir, "manifest.tsv");
            var text = new StringBuilder();
            foreach (var (id, fields) in jobs)
            {
                text.Append(id).Append('\t').AppendJoin('\t', fields).Append('\n');
            }
            File.WriteAllText(manifest, text.ToString(), new UTF8Encoding(false));

            var run = ExternalTool.Run(erl, ["-noshell", "-noinput", "-pa", dir, "-run", "h248_oracle", "main", mode, manifest], limit);
            return Parse(run, jobs, outputs);
        });
    }

    private static List<ErlangResult> Parse(ToolResult run, IReadOnlyList<(string Id, string[] Fields)> jobs, IReadOnlyList<string>? outputs)
    {
        var byId = new Dictionary<string, ErlangResult>(StringComparer.Ordinal);
        int? done = null;
        foreach (var line in run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.TrimEnd('\r').Split('\t', 3);
            switch (parts[0])
            {
                case "FATAL" when run.ExitCode == 3:
                    throw new InvalidOperationException($"{MissingMessage} ({(parts.Length > 1 ? parts[1] : "")})");
                case "FATAL":
                    throw new InvalidOperationException($"h248_oracle refused the batch: {line}");
                case "DONE":
                    done = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "OK" or "EQUAL" or "DIFF" or "ERR" when parts.Length >= 2:
                    var verdict = parts[0] switch
                    {
                        "OK" => ErlangVerdict.Ok,
                        "EQUAL" => ErlangVerdict.Equal,
                        "DIFF" => ErlangVerdict.Diff,
                        _ => ErlangVerdict.Error,
                    };
                    byId[parts[1]] = new ErlangResult(parts[1], verdict, parts.Length > 2 ? parts[2] : null);
                    break;
                default:
                    // erl may print its own warnings; they are not results.
                    break;
            }
        }

        if (run.ExitCode != 0 || done != jobs.Count)
        {
            throw new InvalidOperationException(
                $"erl exited {run.ExitCode} after {done?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} of {jobs.Count} jobs; stderr: {run.StdErr}");
        }

        var results = new List<ErlangResult>(jobs.Count);
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!byId.TryGetValue(jobs[i].Id, out var result))
            {
                throw new InvalidOperationException($"erl printed no result for job '{jobs[i].Id}'");
            }
            if (outputs is not null && result.Verdict == ErlangVerdict.Ok)
            {
                result = result with { Encoded = File.ReadAllBytes(outputs[i]) };
            }
            results.Add(result);
        }
        return results;
    }
}
