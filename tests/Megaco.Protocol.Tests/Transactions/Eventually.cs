namespace Megaco.Protocol.Tests.Transactions;

/// <summary>Waits, in real time and bounded, for something asynchronous to become true.</summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what, int timeoutMilliseconds = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }
            await Task.Delay(2);
        }
    }
}
