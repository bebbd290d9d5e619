using System.Text;
using Megaco.Mg.DataPath.Msrp;

namespace Megaco.Mg.Tests.Msrp;

/// <summary>
/// Random MSRP streams and the bytes the rewriter must make of them under <see cref="Mapping"/>: SENDs with
/// and without bodies and with every flag, responses, REPORTs; binary bodies that quote other end-lines;
/// path headers with several URIs, odd spacing and case.
/// </summary>
internal static class RandomStream
{
    private static readonly (string From, string To)[] Mapped =
    [
        ("msrp://peer-a.example.com:7001/aaaa1;tcp", "msrps://mg.example.net:2855/m1;tcp"),
        ("msrps://peer-b.example.com:7002/bbbb2;tcp", "msrp://mg-core.example.net:2856/m2;tcp"),
        ("msrp://relay.example.org:2855/r9;tcp", "msrp://relay2.example.org:2855/r9;tcp"),
    ];

    private static readonly string[] Unmapped =
    [
        "msrp://other.example.com:9/zz;tcp",
        "msrp://peer-a.example.com:7001/AAAA1;tcp",
        "msrps://peer-b.example.com:7003/bbbb2;tcp",
    ];

    private const string IdentChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-+%=";
    private const string AlphaNum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static MsrpPathMapping Mapping { get; } = new(Mapped.Select(m => KeyValuePair.Create(m.From, m.To)));

    public static (byte[] Input, byte[] Expected) Generate(Random random, int messages)
    {
        var input = new MemoryStream();
        var expected = new MemoryStream();
        for (int i = 0; i < messages; i++)
        {
            Message(random, input, expected);
        }
        return (input.ToArray(), expected.ToArray());
    }

    private static void Message(Random random, MemoryStream input, MemoryStream expected)
    {
        string tid = TransactionId(random);
        int kind = random.Next(4);
        string start = kind switch
        {
            0 or 1 => $"MSRP {tid} SEND",
            2 => $"MSRP {tid} REPORT",
            _ => random.Next(2) == 0 ? $"MSRP {tid} 200 OK" : $"MSRP {tid} {random.Next(200, 600)}",
        };
        Both(input, expected, start + "\r\n");
        PathHeader(random, input, expected, random.Next(5) == 0 ? "to-path" : "To-Path");
        PathHeader(random, input, expected, "From-Path");
        if (kind != 3)
        {
            Both(input, expected, $"Message-ID: {TransactionId(random)}\r\nByte-Range: 1-*/*\r\n");
        }
        if (kind == 2)
        {
            Both(input, expected, "Status: 000 200 OK\r\n");
        }
        if (random.Next(3) == 0)
        {
            Both(input, expected, $"X-Note: {Unmapped[0]} is only mapped in paths\r\n");
        }

        char flag = "$$$+#"[random.Next(5)];
        if (kind == 0)
        {
            Both(input, expected, "Content-Type: application/octet-stream\r\n\r\n");
            var body = Body(random, tid);
            input.Write(body);
            expected.Write(body);
            Both(input, expected, $"\r\n-------{tid}{flag}\r\n");
        }
        else
        {
            Both(input, expected, $"-------{tid}{(kind == 3 ? '$' : flag)}\r\n");
        }
    }

    private static void PathHeader(Random random, MemoryStream input, MemoryStream expected, string name)
    {
        string separator = random.Next(4) switch { 0 => ":", 1 => ":  ", _ => ": " };
        var inText = new StringBuilder(name).Append(separator);
        var outText = new StringBuilder(name).Append(separator);
        int count = random.Next(1, 4);
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                string gap = random.Next(4) == 0 ? "  " : " ";
                inText.Append(gap);
                outText.Append(gap);
            }
            if (random.Next(3) == 0)
            {
                string uri = Unmapped[random.Next(Unmapped.Length)];
                inText.Append(uri);
                outText.Append(uri);
            }
            else
            {
                var (from, to) = Mapped[random.Next(Mapped.Length)];
                // RFC 4975 §6.1: scheme and host compare case-insensitively.
                inText.Append(random.Next(4) == 0 ? UpperAuthority(from) : from);
                outText.Append(to);
            }
        }
        input.Write(Encoding.ASCII.GetBytes(inText.Append("\r\n").ToString()));
        expected.Write(Encoding.ASCII.GetBytes(outText.Append("\r\n").ToString()));
    }

    private static string UpperAuthority(string uri)
    {
        int pathStart = uri.IndexOf('/', uri.IndexOf("://", StringComparison.Ordinal) + 3);
        return uri[..pathStart].ToUpperInvariant() + uri[pathStart..];
    }

    private static byte[] Body(Random random, string tid)
    {
        while (true)
        {
            int length = random.Next(10) == 0 ? random.Next(0, 40_000) : random.Next(0, 600);
            var body = new byte[length];
            random.NextBytes(body);
            // Sprinkle line breaks and end-lines of other transactions into the body.
            for (int i = 0; i < length / 50; i++)
            {
                string decoy = random.Next(3) switch
                {
                    0 => "\r\n",
                    1 => $"\r\n-------{TransactionId(random)}$\r\n",
                    _ => $"\r\n-------{tid[..^1]}+\r\n",
                };
                int at = random.Next(length);
                Encoding.ASCII.GetBytes(decoy).AsSpan(0, Math.Min(decoy.Length, length - at)).CopyTo(body.AsSpan(at));
            }
            // RFC 4975 §7.1: the sender picks a transact-id that the body does not contain.
            if (body.AsSpan().IndexOf(Encoding.ASCII.GetBytes("-------" + tid)) < 0)
            {
                return body;
            }
        }
    }

    private static string TransactionId(Random random)
    {
        int length = random.Next(MsrpLimits.RfcMinTransactionIdLength, MsrpLimits.RfcMaxTransactionIdLength + 1);
        var chars = new char[length];
        chars[0] = AlphaNum[random.Next(AlphaNum.Length)];
        for (int i = 1; i < length; i++)
        {
            chars[i] = IdentChars[random.Next(IdentChars.Length)];
        }
        return new string(chars);
    }

    private static void Both(MemoryStream input, MemoryStream expected, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        input.Write(bytes);
        expected.Write(bytes);
    }
}
