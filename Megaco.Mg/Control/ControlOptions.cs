using System.Net;
using Megaco.Protocol.Text;

namespace Megaco.Mg.Control;

/// <summary>The MG's H.248 control interface, bound from the "Control" configuration section.</summary>
public sealed class ControlOptions
{
    public const string Section = "Control";

    /// <summary>Where the MG listens for its MGC: <c>udp://host:port</c>. Loopback by default (H.248.1 Annex D.1 text port 2944).</summary>
    public string Listen { get; set; } = "udp://127.0.0.1:2944";

    /// <summary>The MG's own mId in the messages it sends; by default its listen address.</summary>
    public string? Mid { get; set; }

    /// <summary>Pretty or Compact text for what the MG sends.</summary>
    public TextStyle Encoding { get; set; } = TextStyle.Compact;

    /// <summary>Parses <see cref="Listen"/>; throws with a message that names the option when it is malformed.</summary>
    public IPEndPoint ListenEndPoint()
    {
        const string scheme = "udp://";
        if (!Listen.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            || !IPEndPoint.TryParse(Listen[scheme.Length..], out var endPoint) || endPoint.Port == 0)
        {
            throw new InvalidOperationException($"Control:Listen '{Listen}' is not udp://address:port (TCP control arrives with the transport layer)");
        }
        return endPoint;
    }
}
