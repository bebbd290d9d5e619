using Megaco.Protocol.Model;

namespace Megaco.Protocol.Sdp;

/// <summary>The one edit the SDP types make to their lines: replace some lines in place, or insert where RFC 8866 §5 orders them.</summary>
internal static class SdpLines
{
    /// <summary>
    /// Drops every line matching <paramref name="replaces"/> and puts <paramref name="replacement"/> at the first line that
    /// matches either predicate (the first match, or the first line it must precede), else at the end.
    /// </summary>
    public static ValueList<SdpLine> Replace(ValueList<SdpLine> lines, Func<SdpLine, bool> replaces, IReadOnlyList<SdpLine> replacement,
        Func<SdpLine, bool> insertBefore)
    {
        var result = new List<SdpLine>(lines.Count + replacement.Count);
        var placed = false;
        foreach (var line in lines)
        {
            if (replaces(line))
            {
                if (!placed)
                {
                    result.AddRange(replacement);
                    placed = true;
                }
                continue;
            }
            if (!placed && insertBefore(line))
            {
                result.AddRange(replacement);
                placed = true;
            }
            result.Add(line);
        }
        if (!placed)
        {
            result.AddRange(replacement);
        }
        return new ValueList<SdpLine>(result);
    }
}
