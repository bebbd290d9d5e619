using Megaco.Mg.DataPath.Msrp;

namespace Megaco.Mg.DataPath.Conference;

/// <summary>Bounds and callbacks of one <see cref="MsrpConference"/>. Setters validate.</summary>
public sealed class MsrpConferenceOptions
{
    private int _maxLegs = 32;
    private int _maxQueuedBytesPerLane = 32 * 1024;
    private int _maxHeaderBlockBytes = 16 * 1024;
    private TimeSpan _stallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Line, header and transaction-id bounds of every participant's stream.</summary>
    public MsrpLimits Msrp { get; init; } = new();

    /// <summary>
    /// Most participants at once. Default 32 (our choice: TS 23.333 §6.2.10.1 sets no number; the MRFC
    /// refuses more with its own error). Memory grows with the square: each pair has a lane.
    /// </summary>
    public int MaxLegs
    {
        get => _maxLegs;
        init => _maxLegs = InRange(value, 2, 1024);
    }

    /// <summary>
    /// Bytes queued from one participant to another (one lane) before the sender waits: 32 KiB, half the
    /// data path's per-direction window (<see cref="MgLimits.DefaultMaxBufferedBytesPerStream"/>), so one
    /// destination holds at most <c>MaxLegs</c> lanes of this.
    /// </summary>
    public int MaxQueuedBytesPerLane
    {
        get => _maxQueuedBytesPerLane;
        init => _maxQueuedBytesPerLane = InRange(value, 1024, 16 * 1024 * 1024);
    }

    /// <summary>
    /// The headers of a message being forwarded (all but To-Path and From-Path), held until its body starts
    /// so they can be written once per destination. 16 KiB, two of <see cref="MsrpLimits.MaxHeaderLineLength"/>'s default.
    /// </summary>
    public int MaxHeaderBlockBytes
    {
        get => _maxHeaderBlockBytes;
        init => _maxHeaderBlockBytes = InRange(value, 256, 1024 * 1024);
    }

    /// <summary>
    /// How long a sender may wait on a full lane before its destination is dropped (<see cref="MsrpConferenceLegEndReason.Stalled"/>)
    /// rather than stall everyone. 10 s, as <see cref="MgLimits.HandshakeTimeout"/>.
    /// </summary>
    public TimeSpan StallTimeout
    {
        get => _stallTimeout;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _stallTimeout = value;
        }
    }

    /// <summary>
    /// A participant left the conference; raised once per leg, on the conference's I/O threads: hand the
    /// event off, do not block, do not throw.
    /// </summary>
    public Action<MsrpConferenceLegEnd>? OnLegEnded { get; init; }

    private static int InRange(int value, int min, int max, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}");
        }
        return value;
    }
}
