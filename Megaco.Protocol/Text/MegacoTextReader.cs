namespace Megaco.Protocol.Text;

/// <summary>
/// Reads H.248.1 Annex B text messages of versions 1 to 3, in any mix of long and short tokens,
/// into the typed model. Never throws on bad input: faults come back as a <see cref="SyntaxError"/>.
/// </summary>
public sealed class MegacoTextReader(MegacoLimits? limits = null)
{
    public MegacoLimits Limits { get; } = limits ?? MegacoLimits.Default;

    public MegacoReadResult Read(ReadOnlySpan<byte> text) => throw new NotImplementedException();
}
