using System.Globalization;

namespace Megaco.EndToEnd.Tests.Support;

/// <summary>SDP bodies as SIP carries them (CRLF) for the test's UE and core peers, and what the tests read back.</summary>
internal static class Sdp
{
    public const string UePath = "msrp://127.0.0.1:7654/jshA7weztas;tcp";

    public static string Body(params string[] lines) => string.Concat(lines.Select(l => l + "\r\n"));

    /// <summary>The UE's offer: c= and its MSRP path at <paramref name="address"/>, plus media-level attributes.</summary>
    public static string UeOffer(string address = "127.0.0.1", params string[] attributes) =>
        Body([
            "v=0",
            "o=alice 2890844526 2890844527 IN IP4 " + address,
            "s= ",
            "c=IN IP4 " + address,
            "t=0 0",
            "m=message 7654 TCP/MSRP *",
            "a=accept-types:text/plain",
            "a=path:" + UePath.Replace("127.0.0.1", address, StringComparison.Ordinal),
            .. attributes,
        ]);

    /// <summary>A conference participant's offer (<c>a=setup:active</c>: it connects to the MRFP), with its own MSRP path.</summary>
    public static string Participant(int n) =>
        UeOffer("127.0.0.1", "a=setup:active").Replace(UePath, ParticipantPath(n), StringComparison.Ordinal);

    public static string ParticipantPath(int n) => $"msrp://127.0.0.1:{7700 + n}/participant{n};tcp";

    /// <summary>The core's answer or offer for its MSRP end at 127.0.0.1:<paramref name="port"/>.</summary>
    public static string Core(int port, string setup, params string[] attributes) =>
        Body([
            "v=0",
            "o=bob 2890844612 2890844616 IN IP4 127.0.0.1",
            "s= ",
            "c=IN IP4 127.0.0.1",
            "t=0 0",
            "m=message " + port.ToString(CultureInfo.InvariantCulture) + " TCP/MSRP *",
            "a=accept-types:text/plain",
            "a=path:" + CorePath(port),
            setup,
            .. attributes,
        ]);

    public static string CorePath(int port) => $"msrp://127.0.0.1:{port}/kjhd37s2s20w2a;tcp";

    /// <summary>The same SDP over TLS: <c>TCP/TLS/MSRP</c> and <c>msrps</c> paths (RFC 4975 §6), with an <c>a=fingerprint</c> (RFC 8122 §5).</summary>
    public static string WithTls(string sdp, byte[] certificate) =>
        sdp.Replace(" TCP/MSRP ", " TCP/TLS/MSRP ", StringComparison.Ordinal).Replace("msrp://", "msrps://", StringComparison.Ordinal)
        + "a=fingerprint:" + Fingerprint(certificate) + "\r\n";

    /// <summary>An a=fingerprint value: <c>sha-256</c> and the certificate's hash in colon-separated upper-case hex (RFC 8122 §5).</summary>
    public static string Fingerprint(byte[] certificate) =>
        "sha-256 " + string.Join(':', Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(certificate)).Chunk(2).Select(c => new string(c)));

    public static string[] Lines(string sdp) => sdp.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The port of the (first) m= line.</summary>
    public static int Port(string sdp) =>
        int.Parse(Lines(sdp).First(l => l.StartsWith("m=", StringComparison.Ordinal)).Split(' ')[1], CultureInfo.InvariantCulture);

    /// <summary>The value of the first <c>a=NAME:</c> attribute, or null.</summary>
    public static string? Attribute(string sdp, string name) =>
        Lines(sdp).FirstOrDefault(l => l.StartsWith("a=" + name + ":", StringComparison.Ordinal)) is { } line ? line[(name.Length + 3)..] : null;
}
