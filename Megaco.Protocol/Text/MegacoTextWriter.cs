using System.Buffers;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text;

/// <summary>
/// Writes a message in the H.248.1 Annex B text encoding of its header version, pretty (long tokens,
/// indented) or compact (short tokens, minimal white space).
/// </summary>
public static class MegacoTextWriter
{
    public static void Write(MegacoMessage message, IBufferWriter<byte> output, TextStyle style) =>
        throw new NotImplementedException();

    public static byte[] ToBytes(MegacoMessage message, TextStyle style)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(message, buffer, style);
        return buffer.WrittenSpan.ToArray();
    }

    public static string ToText(MegacoMessage message, TextStyle style) =>
        System.Text.Encoding.UTF8.GetString(ToBytes(message, style));
}
