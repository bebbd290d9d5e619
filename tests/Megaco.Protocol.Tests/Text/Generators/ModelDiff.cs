using System.Collections;
using System.Reflection;

namespace Megaco.Protocol.Tests.Text.Generators;

/// <summary>
/// Finds the first member path where two models differ, e.g. <c>Transactions[0].Actions[1].ContextRequest.Topology[0].Extension</c>,
/// so that a failing round trip names the part that was lost instead of printing two whole messages.
/// </summary>
public static class ModelDiff
{
    private const int MaxShown = 400;

    /// <summary>Null when the two are equal; otherwise the path and both values at it.</summary>
    public static string? FirstDifference(object? expected, object? actual, string path = "message")
    {
        if (Equals(expected, actual))
        {
            return null;
        }
        if (expected is null || actual is null || expected.GetType() != actual.GetType()
            || expected is string || expected.GetType().IsPrimitive || expected.GetType().IsEnum)
        {
            return Describe(path, expected, actual);
        }
        if (expected is IEnumerable left && actual is IEnumerable right && expected is not string)
        {
            var l = left.Cast<object?>().ToList();
            var r = right.Cast<object?>().ToList();
            for (var i = 0; i < Math.Min(l.Count, r.Count); i++)
            {
                if (FirstDifference(l[i], r[i], $"{path}[{i}]") is { } inner)
                {
                    return inner;
                }
            }
            return $"{path}: expected {l.Count} items but got {r.Count}\n  expected: {Show(expected)}\n  actual:   {Show(actual)}";
        }
        // Only the members a record is built from: derived ones (IsEmpty, Groups, ...) follow from them.
        var type = expected.GetType();
        var built = type.GetConstructors()
            .OrderByDescending(c => c.GetParameters().Length)
            .FirstOrDefault()?.GetParameters()
            .Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase) ?? [];
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && built.Contains(property.Name)
                && FirstDifference(property.GetValue(expected), property.GetValue(actual), path + "." + property.Name) is { } inner)
            {
                return inner;
            }
        }
        return Describe(path, expected, actual);
    }

    private static string Describe(string path, object? expected, object? actual) =>
        $"{path}\n  expected: {Show(expected)}\n  actual:   {Show(actual)}";

    private static string Show(object? value)
    {
        var text = value switch
        {
            null => "null",
            string s => "\"" + s + "\"",
            _ => value.ToString() ?? "?",
        };
        return text.Length <= MaxShown ? text : text[..MaxShown] + " ...";
    }
}
