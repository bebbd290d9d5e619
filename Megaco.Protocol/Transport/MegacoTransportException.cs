namespace Megaco.Protocol.Transport;

/// <summary>A message could not be sent: too large for the transport, peer unreachable, connection lost.</summary>
public sealed class MegacoTransportException : Exception
{
    public MegacoTransportException(string message) : base(message)
    {
    }

    public MegacoTransportException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
