using System.Diagnostics.CodeAnalysis;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Sdp;

/// <summary>
/// An SDP session description (RFC 8866 §5): the session-level lines, then the media descriptions. It
/// keeps every line it does not interpret, so what the MGC passes between the SIP side and H.248 loses
/// nothing. Read from SIP message bodies and from H.248 Local/Remote descriptors alike.
/// </summary>
public sealed record SessionDescription(ValueList<SdpLine> SessionLines, ValueList<MediaDescription> Media)
{
    /// <summary>Largest SDP body read from text; a SIP body is bounded by the SIP stack long before this.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Most lines read; RFC 8866 sets no limit, a session for one MSRP stream has about fifteen.</summary>
    public const int MaxLines = 1024;

    /// <summary>The session-level <c>c=</c>, the default for media without their own (RFC 8866 §5.7).</summary>
    public ConnectionData? Connection
    {
        get
        {
            foreach (var line in SessionLines)
            {
                if (line.Type == 'c')
                {
                    return ConnectionData.TryParse(line.Value, out var connection) ? connection : null;
                }
            }
            return null;
        }
    }

    /// <summary>The connection that applies to <paramref name="media"/>: its own, else the session's.</summary>
    public ConnectionData? ConnectionOf(MediaDescription media) => media.Connection ?? Connection;

    /// <summary>The first group of a Local or Remote descriptor (H.248.1 §7.1.8: later groups are alternatives).</summary>
    public static SessionDescription FromDescriptor(LocalRemoteDescriptor descriptor) =>
        FromLines(descriptor.Groups.FirstOrDefault());

    public static SessionDescription FromLines(ValueList<SdpLine> lines)
    {
        var session = new List<SdpLine>();
        var media = new List<MediaDescription>();
        SdpLine? mediaLine = null;
        var mediaLines = new List<SdpLine>();
        foreach (var line in lines)
        {
            if (line.Type == 'm')
            {
                if (mediaLine is { } previous)
                {
                    media.Add(new MediaDescription(previous, new ValueList<SdpLine>(mediaLines)));
                    mediaLines.Clear();
                }
                mediaLine = line;
            }
            else if (mediaLine is null)
            {
                session.Add(line);
            }
            else
            {
                mediaLines.Add(line);
            }
        }
        if (mediaLine is { } last)
        {
            media.Add(new MediaDescription(last, new ValueList<SdpLine>(mediaLines)));
        }
        return new SessionDescription(new ValueList<SdpLine>(session), new ValueList<MediaDescription>(media));
    }

    /// <summary>
    /// Reads an SDP body (a SIP message body): lines end in CRLF or LF (RFC 8866 §5 allows LF on input).
    /// Refuses a body over <see cref="MaxLength"/> or <see cref="MaxLines"/>, a line that is not
    /// <c>type=value</c> with a lower-case letter type, or one that does not start with <c>v=0</c>.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out SessionDescription? description, [NotNullWhen(false)] out string? error)
    {
        description = null;
        if (text.Length > MaxLength)
        {
            error = "SDP longer than " + MaxLength + " characters";
            return false;
        }
        var lines = new List<SdpLine>();
        var number = 0;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            number++;
            var line = text.AsSpan(range).TrimEnd('\r');
            if (line.IsEmpty)
            {
                continue;
            }
            if (lines.Count == MaxLines)
            {
                error = "SDP has more than " + MaxLines + " lines";
                return false;
            }
            // RFC 8866 §5: <type>=<value>, <type> exactly one case-significant letter.
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                error = "line " + number + " is not <type>=<value>";
                return false;
            }
            lines.Add(new SdpLine(line.ToString()));
        }
        if (lines.Count == 0 || lines[0].Text != "v=0")
        {
            error = "SDP does not start with v=0";
            return false;
        }
        description = FromLines(new ValueList<SdpLine>(lines));
        error = null;
        return true;
    }

    public SessionDescription WithMedia(int index, MediaDescription media)
    {
        var all = Media.AsSpan().ToArray();
        all[index] = media;
        return this with { Media = new ValueList<MediaDescription>(all) };
    }

    /// <summary>Replaces the session-level <c>c=</c> (or adds it after <c>s=</c>/<c>i=</c>/<c>u=</c>/<c>e=</c>/<c>p=</c>, RFC 8866 §5).</summary>
    public SessionDescription WithConnection(ConnectionData connection) =>
        this with
        {
            SessionLines = SdpLines.Replace(SessionLines, l => l.Type == 'c', [new SdpLine("c=" + connection)],
                l => l.Type is 'b' or 't' or 'r' or 'z' or 'k' or 'a'),
        };

    public ValueList<SdpLine> ToLines() =>
        new(SessionLines.AsSpan().ToArray().Concat(Media.AsSpan().ToArray().SelectMany(m => m.ToLines())));

    public LocalRemoteDescriptor ToDescriptor() => new(ToLines());

    /// <summary>The body as SIP carries it: every line ended by CRLF (RFC 8866 §5).</summary>
    public override string ToString() => string.Concat(ToLines().AsSpan().ToArray().Select(l => l.Text + "\r\n"));
}
