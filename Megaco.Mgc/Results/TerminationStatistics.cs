using Megaco.Protocol.Model;

namespace Megaco.Mgc.Results;

/// <summary>
/// What the MG returned for one termination on Subtract (H.248.1 §7.2.4): the network package's octets sent
/// and received and the duration (H.248.1 Annex E.11 nt/os, nt/or, nt/dur), null when absent or not a number;
/// every statistic as returned in <see cref="All"/>.
/// </summary>
public sealed record TerminationStatistics(
    TerminationId Termination,
    ulong? OctetsSent,
    ulong? OctetsReceived,
    TimeSpan? Duration,
    ValueList<StatisticsParameter> All);
