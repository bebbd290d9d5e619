namespace Megaco.Protocol.Text;

/// <summary>The two text forms of H.248.1 Annex B: long tokens with indentation, or short tokens with minimal white space.</summary>
public enum TextStyle : byte
{
    Pretty,
    Compact,
}
