using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transport;

namespace Megaco.Mg.Control;

/// <summary>The MG's H.248 control association, bound from the "Control" configuration section.</summary>
public sealed class ControlOptions
{
    public const string Section = "Control";

    /// <summary>Where the MG receives control messages: <c>udp://host:port</c> or <c>tcp://host:port</c>. Loopback by default, on the H.248.1 Annex D text port.</summary>
    public string Listen { get; set; } = "udp://127.0.0.1:2944";

    /// <summary>The MGCs to register with, in order of preference (H.248.1 §11.2: the MG tries the next when one does not answer).</summary>
    public List<string> Mgc { get; set; } = [];

    /// <summary>The MGC tried when <see cref="Mgc"/> is empty: loopback, port 2945 (as Erlang/OTP megaco's examples pair them).</summary>
    public const string DefaultMgc = "udp://127.0.0.1:2945";

    /// <summary>The MG's own mId; by default its listen address (H.248.1 §7.2.8 allows any of the mId forms).</summary>
    public string? Mid { get; set; }

    /// <summary>Pretty or Compact text for what the MG sends.</summary>
    public TextStyle Encoding { get; set; } = TextStyle.Compact;

    /// <summary>The protocol version offered at registration (H.248.1 §11.3: the MGC may answer with a lower one).</summary>
    public int Version { get; set; } = 3;

    public MegacoEndpoint ListenEndpoint() => MegacoEndpoint.Parse(Listen);

    public IReadOnlyList<MegacoEndpoint> MgcEndpoints() =>
        (Mgc.Count == 0 ? [DefaultMgc] : Mgc).Select(MegacoEndpoint.Parse).ToArray();

    /// <summary>The mId written in the MG's messages.</summary>
    public MId OwnMId(MegacoEndpoint bound) =>
        Mid is { Length: > 0 } mid ? MId.Device(mid)
        : bound.EndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? MId.IPv6(bound.EndPoint.Address.ToString(), (ushort)bound.EndPoint.Port)
            : MId.IPv4(bound.EndPoint.Address.ToString(), (ushort)bound.EndPoint.Port);

    /// <summary>Every fault in these options, each naming its option; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var faults = new List<string>();
        if (!MegacoEndpoint.TryParse(Listen, out var listen, out var error))
        {
            faults.Add($"Control:Listen '{Listen}': {error}");
        }
        var index = 0;
        foreach (var mgc in Mgc)
        {
            if (!MegacoEndpoint.TryParse(mgc, out var endpoint, out error))
            {
                faults.Add($"Control:Mgc:{index} '{mgc}': {error}");
            }
            else if (listen is not null && endpoint.Transport != listen.Transport)
            {
                faults.Add($"Control:Mgc:{index} '{mgc}' is not on the listen transport ({listen.Transport})");
            }
            index++;
        }
        if (Version is < 1 or > 3)
        {
            faults.Add($"Control:Version {Version} is not 1, 2 or 3");
        }
        if (Mid is { Length: > 0 } mid && !IsDeviceName(mid))
        {
            faults.Add($"Control:Mid '{mid}' is not an H.248 device name (a letter, then letters, digits, '_' or '/'; at most 64)");
        }
        return faults;
    }

    // H.248.1 Annex B: deviceName = pathNAME = NAME *("/" / "*" / ALPHA / DIGIT / "_" / "$"); kept to letters, digits,
    // '_' and '/', which every peer reads back as the same name.
    private static bool IsDeviceName(string mid) =>
        mid.Length <= 64 && char.IsAsciiLetter(mid[0]) && mid.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '/');
}
