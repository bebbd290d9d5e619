using System.Diagnostics.Metrics;

namespace Megaco.Protocol.Diagnostics;

/// <summary>
/// The assembly's one <see cref="Meter"/>, named after it. Instruments are lower-case, dotted, with UCUM units;
/// no context or termination ids are ever used as tags.
/// </summary>
internal static class MegacoMetrics
{
    public const string MeterName = "Megaco.Protocol";

    private static readonly Meter Meter = new(MeterName);

    public static readonly UpDownCounter<long> Outstanding = Meter.CreateUpDownCounter<long>(
        "megaco.transactions.pending", "{transaction}", "Requests sent and awaiting their reply");

    public static readonly Counter<long> Resent = Meter.CreateCounter<long>(
        "megaco.transactions.resent", "{transaction}", "Requests retransmitted (H.248.1 Annex D.1.2)");

    public static readonly Counter<long> Failed = Meter.CreateCounter<long>(
        "megaco.transactions.failed", "{transaction}", "Requests that ended without a reply, by reason");

    public static readonly Counter<long> Executed = Meter.CreateCounter<long>(
        "megaco.transactions.executed", "{transaction}", "Received requests handed to the user");

    public static readonly Counter<long> Duplicates = Meter.CreateCounter<long>(
        "megaco.transactions.duplicates", "{transaction}", "Retransmitted requests answered from the reply cache or with Pending");

    public static readonly Counter<long> PendingsSent = Meter.CreateCounter<long>(
        "megaco.transactions.pendings_sent", "{message}", "TransactionPendings sent for slow requests (H.248.1 Annex D.1.3)");

    public static readonly Counter<long> CodecErrors = Meter.CreateCounter<long>(
        "megaco.codec.errors", "{message}", "Received messages that could not be read, by H.248.8 error code");
}
