namespace Megaco.Protocol.Model;

/// <summary>
/// <c>Local { SDP }</c> or <c>Remote { SDP }</c> (H.248.1 §7.1.8, Annex C): the SDP is kept as its
/// lines, each exactly as written but for its line end and any indentation before it. Several
/// session descriptions (each starting with <c>v=</c>) are alternatives; <see cref="Groups"/> splits them.
/// </summary>
public sealed record LocalRemoteDescriptor(ValueList<SdpLine> Lines)
{
    public static readonly LocalRemoteDescriptor Empty = new(ValueList<SdpLine>.Empty);

    public static LocalRemoteDescriptor Parse(string sdp)
    {
        var lines = new List<SdpLine>();
        foreach (var range in sdp.AsSpan().Split('\n'))
        {
            var line = sdp.AsSpan(range).TrimEnd('\r').TrimStart(" \t");
            if (!line.IsWhiteSpace())
            {
                lines.Add(new SdpLine(line.ToString()));
            }
        }
        return new LocalRemoteDescriptor(new ValueList<SdpLine>(lines.ToArray()));
    }

    /// <summary>The alternative session descriptions, each starting at a <c>v=</c> line.</summary>
    public IEnumerable<ValueList<SdpLine>> Groups
    {
        get
        {
            var current = new List<SdpLine>();
            foreach (var line in (IEnumerable<SdpLine>)Lines)
            {
                if (line.Type == 'v' && current.Count > 0)
                {
                    yield return new ValueList<SdpLine>(current.ToArray());
                    current.Clear();
                }
                current.Add(line);
            }
            if (current.Count > 0)
            {
                yield return new ValueList<SdpLine>(current.ToArray());
            }
        }
    }

    public override string ToString() => string.Join("\n", Lines);
}

/// <summary>One SDP line <c>type=value</c> (RFC 4566 §5), e.g. <c>a=setup:passive</c>.</summary>
public readonly record struct SdpLine(string Text)
{
    /// <summary>The one-letter type before '=', or '\0' for a line that has none.</summary>
    public char Type => Text.Length >= 2 && Text[1] == '=' ? Text[0] : '\0';

    /// <summary>The text after <c>type=</c>.</summary>
    public string Value => Type == '\0' ? Text : Text[2..];

    /// <summary>For an <c>a=</c> line, the attribute name (before ':').</summary>
    public string? AttributeName =>
        Type != 'a' ? null : Value.IndexOf(':') is var i and >= 0 ? Value[..i] : Value;

    /// <summary>For an <c>a=name:value</c> line, the attribute value; null for a flag attribute.</summary>
    public string? AttributeValue =>
        Type != 'a' ? null : Value.IndexOf(':') is var i and >= 0 ? Value[(i + 1)..] : null;

    public override string ToString() => Text;
}
