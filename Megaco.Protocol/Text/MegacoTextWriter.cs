using System.Buffers;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text.Writers;
using Megaco.Protocol.Text.Writers.V1;
using Megaco.Protocol.Text.Writers.V2;
using Megaco.Protocol.Text.Writers.V3;

namespace Megaco.Protocol.Text;

/// <summary>
/// Writes a message in the H.248.1 Annex B text encoding of its header version, pretty (long tokens,
/// indented) or compact (short tokens, minimal white space).
/// </summary>
public static class MegacoTextWriter
{
    /// <exception cref="ArgumentOutOfRangeException">The message's version is not 1, 2 or 3.</exception>
    /// <exception cref="ArgumentException">The model holds something its version or the grammar cannot express.</exception>
    public static void Write(MegacoMessage message, IBufferWriter<byte> output, TextStyle style)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        ForVersion(message.Version).Write(message, output, style);
    }

    public static byte[] ToBytes(MegacoMessage message, TextStyle style)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(message, buffer, style);
        return buffer.WrittenSpan.ToArray();
    }

    public static string ToText(MegacoMessage message, TextStyle style) =>
        System.Text.Encoding.UTF8.GetString(ToBytes(message, style));

    private static H248VersionTextWriter ForVersion(int version) => version switch
    {
        1 => H248V1TextWriter.Instance,
        2 => H248V2TextWriter.Instance,
        3 => H248V3TextWriter.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "Only H.248 versions 1, 2 and 3 can be written."),
    };
}
