using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Megaco.Protocol.Tests.Interop;

/// <summary>
/// Wireshark as an outside judge of H.248 text on the wire: the messages go into a classic pcap, one
/// Ethernet/IPv4/UDP frame each from 127.0.0.1:2944 to 127.0.0.1:2944 (the MEGACO text port), and
/// tshark reports per frame whether it was dissected as MEGACO and what expert info it raised.
/// </summary>
public static class TsharkDissector
{
    public const string MissingMessage = "tshark not installed: apt-get install tshark";

    public const ushort MegacoTextPort = 2944;

    /// <summary>The largest payload an IPv4 UDP datagram carries (65535 - 20 - 8).</summary>
    public const int MaxUdpPayload = 65507;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private const int EthernetHeader = 14;
    private const int Ipv4Header = 20;
    private const int UdpHeader = 8;

    /// <summary>Dissects each message as one UDP datagram; frame <c>i</c> of the result is message <c>i</c>.</summary>
    public static IReadOnlyList<TsharkFrame> Dissect(IReadOnlyList<byte[]> messages, TimeSpan? timeout = null)
    {
        var tshark = ExternalTool.Require("tshark", MissingMessage);
        if (messages.Count == 0)
        {
            return [];
        }
        return ExternalTool.WithTempDirectory("h248-tshark-", dir =>
        {
            var pcap = Path.Combine(dir, "megaco.pcap");
            File.WriteAllBytes(pcap, BuildPcap(messages));
            var run = ExternalTool.Run(tshark,
            [
                "-r", pcap, "-n",
                // Decode As pins port 2944 to MEGACO text whatever the user's preferences say.
                "-d", $"udp.port=={MegacoTextPort},megaco",
                // Off by default; on, a mistake in our own IPv4 header shows up as an expert error.
                "-o", "ip.check_checksum:TRUE",
                "-T", "json",
                "-e", "frame.number", "-e", "frame.protocols",
                "-e", "_ws.expert.severity", "-e", "_ws.expert.group", "-e", "_ws.expert.message",
                "-e", "_ws.malformed",
            ], timeout ?? DefaultTimeout, dir);
            // tshark warns on stderr when run as root; only the exit status says it failed.
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"tshark exited {run.ExitCode}: {run.StdErr}");
            }
            return Parse(run.StdOut, messages.Count);
        });
    }

    /// <summary>
    /// A classic little-endian pcap (magic a1b2c3d4, v2.4, link type 1 Ethernet), one frame per
    /// message, one second apart.
    /// </summary>
    public static byte[] BuildPcap(IReadOnlyList<byte[]> messages)
    {
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xa1b2c3d4);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);      // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);    // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 65535); // snaplen
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);    // LINKTYPE_ETHERNET
        stream.Write(header);

        Span<byte> record = stackalloc byte[16];
        for (var i = 0; i < messages.Count; i++)
        {
            var frame = BuildUdpFrame(messages[i], (ushort)i);
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)(1_700_000_000 + i));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], 0);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)frame.Length);
            stream.Write(record);
            stream.Write(frame);
        }
        return stream.ToArray();
    }

    /// <summary>Ethernet II + IPv4 (checksummed) + UDP (checksum 0: none, allowed for IPv4 by RFC 768).</summary>
    public static byte[] BuildUdpFrame(ReadOnlySpan<byte> payload, ushort ipId)
    {
        if (payload.Length > MaxUdpPayload)
        {
            throw new ArgumentException($"a {payload.Length}-byte message does not fit one UDP datagram", nameof(payload));
        }
        var frame = new byte[EthernetHeader + Ipv4Header + UdpHeader + payload.Length];
        var span = frame.AsSpan();

        // Ethernet: zero MACs are fine for a capture file; EtherType IPv4.
        BinaryPrimitives.WriteUInt16BigEndian(span[12..], 0x0800);

        var ip = span.Slice(EthernetHeader, Ipv4Header);
        ip[0] = 0x45; // version 4, 5 words
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(Ipv4Header + UdpHeader + payload.Length));
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], ipId);
        ip[8] = 64; // TTL
        ip[9] = 17; // UDP
        ReadOnlySpan<byte> loopback = [127, 0, 0, 1];
        loopback.CopyTo(ip[12..]);
        loopback.CopyTo(ip[16..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Ipv4Checksum(ip));

        var udp = span.Slice(EthernetHeader + Ipv4Header, UdpHeader);
        BinaryPrimitives.WriteUInt16BigEndian(udp, MegacoTextPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], MegacoTextPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)(UdpHeader + payload.Length));

        payload.CopyTo(span[(EthernetHeader + Ipv4Header + UdpHeader)..]);
        return frame;
    }

    /// <summary>RFC 791 header checksum: one's complement of the one's complement sum of the 16-bit words.</summary>
    public static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }
        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (ushort)~sum;
    }

    private static List<TsharkFrame> Parse(string json, int expected)
    {
        var frames = new TsharkFrame?[expected];
        using var document = JsonDocument.Parse(json);
        foreach (var packet in document.RootElement.EnumerateArray())
        {
            var layers = packet.GetProperty("_source").GetProperty("layers");
            var number = int.Parse(Values(layers, "frame.number")[0], CultureInfo.InvariantCulture);
            var severities = Values(layers, "_ws.expert.severity");
            var groups = Values(layers, "_ws.expert.group");
            var texts = Values(layers, "_ws.expert.message");
            var experts = new List<TsharkExpertInfo>();
            for (var i = 0; i < texts.Count; i++)
            {
                // Fields come as parallel lists, one entry per expert item.
                var severity = i < severities.Count ? (TsharkSeverity)(uint.Parse(severities[i], CultureInfo.InvariantCulture) >> 20) : TsharkSeverity.Error;
                var group = i < groups.Count ? (int)(uint.Parse(groups[i], CultureInfo.InvariantCulture) >> 24) : 0;
                experts.Add(new TsharkExpertInfo(severity, group, texts[i]));
            }
            if (number < 1 || number > expected)
            {
                throw new InvalidOperationException($"tshark reported frame {number} of {expected}");
            }
            frames[number - 1] = new TsharkFrame(number - 1, Values(layers, "frame.protocols").FirstOrDefault() ?? "", experts, Values(layers, "_ws.malformed"));
        }
        var missing = Array.FindIndex(frames, f => f is null);
        if (missing >= 0)
        {
            throw new InvalidOperationException($"tshark said nothing about frame {missing + 1} of {expected}");
        }
        return frames.Select(f => f!).ToList();
    }

    private static List<string> Values(JsonElement layers, string field) =>
        layers.TryGetProperty(field, out var values)
            ? values.EnumerateArray().Select(v => v.GetString() ?? "").ToList()
            : [];
}
