namespace Megaco.Protocol.Sdp;

/// <summary>SDP <c>a=connection</c> (RFC 4145 §5): whether a new TCP connection is to be set up.</summary>
public enum TcpConnectionAttribute : byte
{
    New,
    Existing,
}
