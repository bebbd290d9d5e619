using System.Buffers;
using Megaco.Protocol.Model;

namespace Megaco.Protocol.Text.Writers;

/// <summary>
/// The part of the text writer that differs between protocol versions: which constructs the
/// version's grammar has. One sealed subclass per version (v1, v2, v3) is picked by the message's version.
/// </summary>
internal abstract class H248VersionTextWriter
{
    public abstract int Version { get; }

    public abstract H248Features Features { get; }

    public bool Supports(H248Features feature) => (Features & feature) == feature;

    /// <summary>Throws when the model holds a construct this version cannot express (a programming error, not network input).</summary>
    public void Require(H248Features feature, string construct)
    {
        if (!Supports(feature))
        {
            throw new ArgumentException(
                $"{construct} cannot be written in H.248 version {Version}.", "message");
        }
    }

    public void Write(MegacoMessage message, IBufferWriter<byte> output, TextStyle style) =>
        new H248TextWriter(output, style, this).WriteMessage(message);
}
