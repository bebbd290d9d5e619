namespace Megaco.Mg.DataPath.Msrp;

/// <summary>
/// How an MSRP data path stage fails its path: <see cref="DataPath"/> completes both pipes with it and the
/// relay resets both peers. Never escapes the relay; <see cref="Error"/> says what the peer sent wrong.
/// </summary>
public sealed class MsrpFramingException : Exception
{
    public MsrpFramingException(MsrpFramingError error)
        : base(error.ToString())
    {
        Error = error;
    }

    public MsrpFramingError Error { get; }
}
