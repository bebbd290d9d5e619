using Megaco.Protocol.Model;

namespace Megaco.Protocol.Sdp;

/// <summary>
/// One media description of an SDP session (RFC 8866 §5.14): the <c>m=</c> line and the lines after it
/// up to the next <c>m=</c>. Unknown lines are kept in order, so a description read and written back is
/// unchanged except where a <c>With…</c> method changed it.
/// </summary>
public sealed record MediaDescription(SdpLine MediaLine, ValueList<SdpLine> Lines)
{
    /// <summary>The port written <c>$</c>: the MG chooses it (H.248.1 Annex C).</summary>
    public const string ChoosePort = "$";

    private string[] Fields => MediaLine.Value.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>&lt;media&gt;, e.g. <c>message</c>.</summary>
    public string Media => Fields is { Length: > 0 } f ? f[0] : "";

    /// <summary>&lt;port&gt; as written: a number, <c>$</c>, or a number/count pair.</summary>
    public string Port => Fields is { Length: > 1 } f ? f[1] : "";

    /// <summary>&lt;proto&gt;, e.g. <c>TCP/TLS/MSRP</c> (RFC 4975 §8.1).</summary>
    public string Protocol => Fields is { Length: > 2 } f ? f[2] : "";

    /// <summary>&lt;fmt&gt; list as written; <c>*</c> for MSRP.</summary>
    public string Formats => Fields is { Length: > 3 } f ? f[3] : "";

    public bool TryGetPort(out int port) => int.TryParse(Port, System.Globalization.NumberStyles.None, null, out port) && port <= 65535;

    /// <summary>The media-level <c>c=</c>, if any (it overrides the session-level one, RFC 8866 §5.7).</summary>
    public ConnectionData? Connection =>
        FirstValue('c') is { } value && ConnectionData.TryParse(value, out var connection) ? connection : null;

    /// <summary>The value of the first <c>a=name:value</c>; "" for a flag attribute; null when absent.</summary>
    public string? Attribute(string name)
    {
        foreach (var line in Lines)
        {
            if (line.AttributeName == name)
            {
                return line.AttributeValue ?? "";
            }
        }
        return null;
    }

    /// <summary>Every value of <c>a=name</c>, in order (e.g. several <c>a=fingerprint</c>).</summary>
    public IReadOnlyList<string> Attributes(string name)
    {
        var values = new List<string>();
        foreach (var line in Lines)
        {
            if (line.AttributeName == name)
            {
                values.Add(line.AttributeValue ?? "");
            }
        }
        return values;
    }

    public bool HasAttribute(string name) => Attribute(name) is not null;

    public MediaDescription WithPort(string port) => WithField(1, port, "port");

    public MediaDescription WithProtocol(string protocol) => WithField(2, protocol, "protocol");

    private MediaDescription WithField(int index, string value, string what)
    {
        var fields = Fields;
        if (fields.Length <= index)
        {
            throw new InvalidOperationException("m= line without a " + what + ": " + MediaLine.Text);
        }
        fields[index] = value;
        return this with { MediaLine = new SdpLine("m=" + string.Join(' ', fields)) };
    }

    /// <summary>Sets the media-level <c>c=</c>, in the place RFC 8866 §5 orders it (after i=, before b=/k=/a=).</summary>
    public MediaDescription WithConnection(ConnectionData connection) =>
        this with { Lines = SdpLines.Replace(Lines, l => l.Type == 'c', [new SdpLine("c=" + connection)], l => l.Type != 'i') };

    /// <summary>Replaces every <c>a=name</c> with the given values (none removes it), at the place of the first.</summary>
    public MediaDescription WithAttribute(string name, params IReadOnlyList<string?> values) =>
        this with
        {
            Lines = SdpLines.Replace(Lines, l => l.AttributeName == name,
                values.Select(v => new SdpLine(v is null ? "a=" + name : "a=" + name + ":" + v)).ToArray(), static _ => false),
        };

    public MediaDescription WithoutAttribute(string name) => WithAttribute(name, []);

    public IEnumerable<SdpLine> ToLines()
    {
        yield return MediaLine;
        foreach (var line in (IEnumerable<SdpLine>)Lines)
        {
            yield return line;
        }
    }

    private string? FirstValue(char type)
    {
        foreach (var line in Lines)
        {
            if (line.Type == type)
            {
                return line.Value;
            }
        }
        return null;
    }
}
