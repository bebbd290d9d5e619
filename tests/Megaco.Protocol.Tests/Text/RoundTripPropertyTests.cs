using System.Text;
using Megaco.Protocol.Model;
using Megaco.Protocol.Tests.Text.Generators;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Text;

/// <summary>
/// Property-based round trips over generated models (see <see cref="ModelGenerator"/>): for every version
/// and both text styles, read(write(m)) == m, which for m = read(text) is read(write(read(text))) == read(text);
/// and write(read(write(m))) is byte-identical to write(m), i.e. the writer is deterministic and canonical.
/// A failure names the seed, version and style (<c>ModelGenerator.Generate(seed, version)</c> rebuilds the case),
/// the written text and the first differing member.
/// </summary>
public sealed class RoundTripPropertyTests
{
    /// <summary>Cases per version and style.</summary>
    public const int Cases = 500;

    public static TheoryData<int, TextStyle> VersionsAndStyles()
    {
        var data = new TheoryData<int, TextStyle>();
        foreach (var version in new[] { 1, 2, 3 })
        {
            data.Add(version, TextStyle.Pretty);
            data.Add(version, TextStyle.Compact);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(VersionsAndStyles))]
    public void Read_of_written_model_equals_the_model(int version, TextStyle style)
    {
        var failures = new List<string>();
        for (var seed = 0; seed < Cases; seed++)
        {
            var model = ModelGenerator.Generate(seed, version);
            if (CheckRoundTrip(model, style) is { } problem)
            {
                failures.Add($"seed {seed}, version {version}, {style}: {problem}");
            }
        }
        Report(failures);
    }

    [Theory]
    [MemberData(nameof(VersionsAndStyles))]
    public void Writing_is_canonical(int version, TextStyle style)
    {
        var failures = new List<string>();
        for (var seed = 0; seed < Cases; seed++)
        {
            var model = ModelGenerator.Generate(seed, version);
            if (CheckCanonical(model, style) is { } problem)
            {
                failures.Add($"seed {seed}, version {version}, {style}: {problem}");
            }
        }
        Report(failures);
    }

    [Fact]
    public void Generator_is_deterministic()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            Assert.Equal(ModelGenerator.Generate(seed, 3), ModelGenerator.Generate(seed, 3));
        }
    }

    /// <summary>The properties prove little unless every type of the model shows up in the generated cases.</summary>
    [Fact]
    public void Generator_covers_every_model_type()
    {
        var seen = new HashSet<Type>();
        foreach (var version in new[] { 1, 2, 3 })
        {
            for (var seed = 0; seed < Cases; seed++)
            {
                Collect(ModelGenerator.Generate(seed, version), seen);
            }
        }
        var modelTypes = typeof(MegacoMessage).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(MegacoMessage).Namespace && t.IsPublic && !t.IsAbstract && !t.IsEnum
                && !t.IsGenericTypeDefinition && t.IsClass && t.GetMethod("<Clone>$") is not null)
            .ToList();
        Assert.True(modelTypes.Count > 50, $"only {modelTypes.Count} model record types found");
        Assert.Empty(modelTypes.Where(t => !seen.Contains(t)).Select(t => t.Name));
    }

    private static void Collect(object? node, HashSet<Type> seen)
    {
        if (node is null or string || node.GetType().IsPrimitive || node.GetType().IsEnum)
        {
            return;
        }
        if (node is System.Collections.IEnumerable items)
        {
            foreach (var item in items)
            {
                Collect(item, seen);
            }
            return;
        }
        if (!seen.Add(node.GetType()) && node.GetType().IsValueType)
        {
            return;
        }
        foreach (var property in node.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length == 0 && property.Name != "Groups")
            {
                Collect(property.GetValue(node), seen);
            }
        }
    }

    /// <summary>Null when read(write(model)) == model; otherwise what went wrong, with the text.</summary>
    public static string? CheckRoundTrip(MegacoMessage model, TextStyle style)
    {
        byte[] bytes;
        try
        {
            bytes = MegacoTextWriter.ToBytes(model, style);
        }
        catch (ArgumentException e)
        {
            return $"the writer refused the model: {e.Message}\nmodel: {model}";
        }
        var text = Encoding.UTF8.GetString(bytes);
        var result = MegacoTextReader.Default.Read(bytes);
        if (!result.IsSuccess)
        {
            var error = result.FirstError!;
            return $"the reader refused the written text at {error.Line}:{error.Column} ({error.Expected}: {error.Reason})\n--- text ---\n{text}\n---";
        }
        return ModelDiff.FirstDifference(model, result.Message) is { } diff
            ? $"read(write(m)) != m at {diff}\n--- text ---\n{text}\n---"
            : null;
    }

    /// <summary>Null when write(read(write(model))) is byte-identical to write(model).</summary>
    public static string? CheckCanonical(MegacoMessage model, TextStyle style)
    {
        byte[] first;
        try
        {
            first = MegacoTextWriter.ToBytes(model, style);
        }
        catch (ArgumentException e)
        {
            return $"the writer refused the model: {e.Message}\nmodel: {model}";
        }
        var result = MegacoTextReader.Default.Read(first);
        if (!result.IsSuccess)
        {
            return $"the reader refused the written text ({result.FirstError!.Reason})\n--- text ---\n{Encoding.UTF8.GetString(first)}\n---";
        }
        var second = MegacoTextWriter.ToBytes(result.Message!, style);
        if (first.AsSpan().SequenceEqual(second))
        {
            return null;
        }
        var at = first.AsSpan().CommonPrefixLength(second);
        return $"the second writing differs from byte {at} on\n--- first ---\n{Encoding.UTF8.GetString(first)}\n--- second ---\n{Encoding.UTF8.GetString(second)}\n---";
    }

    /// <summary>Fails with the first few failures, one per distinct kind, and how many cases failed in all.</summary>
    private static void Report(List<string> failures)
    {
        if (failures.Count == 0)
        {
            return;
        }
        var shown = failures
            .DistinctBy(Signature)
            .Take(5);
        Assert.Fail($"{failures.Count} of {Cases} cases failed. First of each kind:\n\n" + string.Join("\n\n", shown));
    }

    // Groups failures by what failed (the refusal reason or the differing path without indexes), not by seed.
    private static string Signature(string failure)
    {
        var body = failure[(failure.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        var line = body.Split('\n')[0];
        return System.Text.RegularExpressions.Regex.Replace(line, @"\[\d+\]|\d+", "#");
    }
}
