using System.Buffers;
using System.Buffers.Binary;

namespace Megaco.Protocol.Transport;

/// <summary>
/// TPKT framing of H.248 messages over TCP (H.248.1 Annex D.2, which takes the header of RFC 1006 §6):
/// <code>
///  0        1        2        3
/// +--------+--------+--------+--------+------------------
/// |  vrsn  |reserved|  packet length  |  H.248 message ...
/// |   3    |   0    |   (big-endian)  |
/// +--------+--------+--------+--------+------------------
/// </code>
/// The length counts the whole packet including the 4-byte header, so a packet is at most 65535 octets.
/// The reader is resumable over a <see cref="ReadOnlySequence{T}"/>: while a packet is incomplete it
/// consumes nothing and reports how much it examined, so a pipe can wait for more; the header and the
/// payload may be split across any number of segments.
/// </summary>
public static class TpktFramer
{
    public const int HeaderLength = 4;

    /// <summary>RFC 1006 §6: "vrsn 8 bits. This field is always 3 for the version of the protocol described in this memo."</summary>
    public const byte Version = 3;

    /// <summary>RFC 1006 §6: the 16-bit length field bounds a packet, header included, at 65535 octets.</summary>
    public const int MaxPacketLength = ushort.MaxValue;

    /// <summary>Largest payload a packet can carry.</summary>
    public const int MaxPayloadLength = MaxPacketLength - HeaderLength;

    /// <summary>
    /// Reads one packet from the start of <paramref name="buffer"/>. On <see cref="TpktReadStatus.Frame"/>,
    /// <paramref name="payload"/> is the message and <paramref name="buffer"/> starts after it; otherwise
    /// <paramref name="buffer"/> is unchanged. The announced length is checked against
    /// <paramref name="maxPayloadLength"/> as soon as the header is complete, before any payload is awaited.
    /// </summary>
    public static TpktReadStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxPayloadLength, out ReadOnlySequence<byte> payload, out TpktError error)
    {
        payload = default;
        error = TpktError.None;
        if (buffer.Length < HeaderLength)
        {
            // Even a partial header can be refused at once: a wrong version byte never becomes right.
            if (!buffer.IsEmpty)
            {
                var first = buffer.FirstSpan[0];
                if (first != Version)
                {
                    error = TpktError.BadVersion;
                    return TpktReadStatus.Invalid;
                }
                if (buffer.Length >= 2 && ReadByte(buffer, 1) != 0)
                {
                    error = TpktError.BadReserved;
                    return TpktReadStatus.Invalid;
                }
            }
            return TpktReadStatus.NeedMoreData;
        }
        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        if (header[0] != Version)
        {
            error = TpktError.BadVersion;
            return TpktReadStatus.Invalid;
        }
        // RFC 1006 §6: "reserved 8 bits. This field is reserved for further study and contains the value 0."
        if (header[1] != 0)
        {
            error = TpktError.BadReserved;
            return TpktReadStatus.Invalid;
        }
        int packetLength = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        // An empty H.248 message is no message: a length of 4 or less carries nothing to read.
        if (packetLength <= HeaderLength)
        {
            error = TpktError.LengthTooSmall;
            return TpktReadStatus.Invalid;
        }
        if (packetLength - HeaderLength > maxPayloadLength)
        {
            error = TpktError.LengthTooLarge;
            return TpktReadStatus.Invalid;
        }
        if (buffer.Length < packetLength)
        {
            return TpktReadStatus.NeedMoreData;
        }
        payload = buffer.Slice(HeaderLength, packetLength - HeaderLength);
        buffer = buffer.Slice(packetLength);
        return TpktReadStatus.Frame;
    }

    /// <summary>Writes the header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(payloadLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, MaxPayloadLength);
        destination[0] = Version;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(payloadLength + HeaderLength));
    }

    /// <summary>The whole packet (header and payload) for one message.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message)
    {
        var packet = new byte[message.Length + HeaderLength];
        WriteHeader(packet, message.Length);
        message.CopyTo(packet.AsSpan(HeaderLength));
        return packet;
    }

    private static byte ReadByte(ReadOnlySequence<byte> buffer, long index)
    {
        var reader = new SequenceReader<byte>(buffer);
        reader.Advance(index);
        reader.TryPeek(out var value);
        return value;
    }
}
