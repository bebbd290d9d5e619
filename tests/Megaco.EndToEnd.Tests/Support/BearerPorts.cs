namespace Megaco.EndToEnd.Tests.Support;

/// <summary>
/// A distinct bearer port range for each MG process of this run, below the ephemeral range (32768+) and below the
/// 20000-31000 region the other test projects pick from, so that parallel tests never share a port; the pool skips a
/// port someone else holds anyway.
/// </summary>
internal static class BearerPorts
{
    private const int First = 10_000;
    private const int Last = 19_999;
    private static int _next = First + (Environment.ProcessId % 50) * 100;

    /// <summary>The first of <paramref name="count"/> consecutive ports no other MG of this run was given.</summary>
    public static int Range(int count)
    {
        while (true)
        {
            var start = Interlocked.Add(ref _next, count) - count;
            if (start + count - 1 <= Last)
            {
                return start;
            }
            Interlocked.CompareExchange(ref _next, First, start + count);
        }
    }
}
