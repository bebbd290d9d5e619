namespace Megaco.Mgc.Tests.Fakes;

/// <summary>SDP bodies as SIP carries them (CRLF), built line by line so each test shows what it varies.</summary>
internal static class Sdps
{
    public static string Body(params string[] lines) => string.Concat(lines.Select(l => l + "\r\n"));

    /// <summary>A UE's MSRP offer: clear or TLS, with optional extra media-level attributes.</summary>
    public static string UeOffer(string protocol = "TCP/MSRP", string address = "192.0.2.10", params string[] attributes) =>
        Body([
            "v=0",
            "o=alice 2890844526 2890844527 IN IP4 " + address,
            "s= ",
            "c=IN IP4 " + address,
            "t=0 0",
            "m=message 7654 " + protocol + " *",
            "a=accept-types:text/plain",
            "a=path:" + (protocol == "TCP/MSRP" ? "msrp" : "msrps") + "://" + address + ":7654/jshA7weztas;tcp",
            .. attributes,
        ]);

    /// <summary>The far side's MSRP answer or offer arriving from the core.</summary>
    public static string Core(string protocol = "TCP/MSRP", string setup = "a=setup:active", params string[] attributes) =>
        Body([
            "v=0",
            "o=bob 2890844612 2890844616 IN IP4 198.51.100.20",
            "s= ",
            "c=IN IP4 198.51.100.20",
            "t=0 0",
            "m=message 12763 " + protocol + " *",
            "a=accept-types:text/plain",
            "a=path:" + (protocol == "TCP/MSRP" ? "msrp" : "msrps") + "://198.51.100.20:12763/kjhd37s2s20w2a;tcp",
            setup,
            .. attributes,
        ]);

    public const string UeFingerprint = "sha-256 19:E2:1C:3B:4B:9F:81:E6:B8:5C:F4:A5:A8:D8:73:04:BB:05:2F:70:9F:04:A9:0E:05:E9:26:33:E8:70:88:A2";

    public const string CoreFingerprint = "sha-1 D1:2F:7A:0B:3C:4D:5E:6F:70:81:92:A3:B4:C5:D6:E7:F8:09:1A:2B";

    public static string[] Lines(string sdp) => sdp.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
}
