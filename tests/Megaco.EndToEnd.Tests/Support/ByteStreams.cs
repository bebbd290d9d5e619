using System.Net.Sockets;
using System.Security.Cryptography;

namespace Megaco.EndToEnd.Tests.Support;

/// <summary>
/// Bulk transfer over real sockets for the relay tests: each side sends pseudo-random bytes (seeded, so no two chunks
/// are alike) and then half-closes; the other side reads to the end; both hash what they saw (SHA-256).
/// </summary>
internal static class ByteStreams
{
    private const int Chunk = 64 * 1024;

    public sealed record Transfer(long Bytes, byte[] SentHash, byte[] ReceivedHash, long ReceivedBytes);

    /// <summary>Sends <paramref name="aToB"/> bytes from a to b and <paramref name="bToA"/> from b to a at the same time.</summary>
    public static async Task<(Transfer AToB, Transfer BToA)> BothWaysAsync(Socket a, Socket b, long aToB, long bToA, CancellationToken cancellationToken)
    {
        var sendA = SendAsync(a, aToB, 1, cancellationToken);
        var sendB = SendAsync(b, bToA, 2, cancellationToken);
        var receiveB = ReceiveAsync(b, cancellationToken);
        var receiveA = ReceiveAsync(a, cancellationToken);
        await Task.WhenAll(sendA, sendB, receiveA, receiveB);
        return (new Transfer(aToB, sendA.Result, receiveB.Result.Hash, receiveB.Result.Bytes),
            new Transfer(bToA, sendB.Result, receiveA.Result.Hash, receiveA.Result.Bytes));
    }

    private static async Task<byte[]> SendAsync(Socket socket, long count, int seed, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var random = new Random(seed);
        var buffer = new byte[Chunk];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var left = count; left > 0;)
        {
            var n = (int)Math.Min(left, Chunk);
            random.NextBytes(buffer.AsSpan(0, n));
            hash.AppendData(buffer, 0, n);
            await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, cancellationToken);
            left -= n;
        }
        socket.Shutdown(SocketShutdown.Send);
        return hash.GetHashAndReset();
    }

    private static async Task<(byte[] Hash, long Bytes)> ReceiveAsync(Socket socket, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var buffer = new byte[Chunk];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        while (await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken) is var n and > 0)
        {
            hash.AppendData(buffer, 0, n);
            total += n;
        }
        return (hash.GetHashAndReset(), total);
    }
}
