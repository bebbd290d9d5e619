namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// One header line, valid only during the handler call: the wire text without its CRLF, the name before
/// the colon and the value after the colon and any spaces.
/// </summary>
public readonly ref struct MsrpHeaderLine
{
    private readonly int _nameLength;
    private readonly int _valueStart;

    public MsrpHeaderLine(ReadOnlySpan<byte> line, int nameLength, int valueStart)
    {
        Line = line;
        _nameLength = nameLength;
        _valueStart = valueStart;
    }

    public ReadOnlySpan<byte> Line { get; }

    public ReadOnlySpan<byte> Name => Line[.._nameLength];

    /// <summary>Where the value starts in <see cref="Line"/>; everything before it is name, colon and spaces.</summary>
    public int ValueStart => _valueStart;

    public ReadOnlySpan<byte> Value => Line[_valueStart..];
}
