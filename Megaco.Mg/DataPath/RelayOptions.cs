using System.Net.Sockets;
using Megaco.Mg.Diagnostics;

namespace Megaco.Mg.DataPath;

public sealed class RelayOptions
{
    public MgLimits Limits { get; init; } = new();

    public MgMetrics? Metrics { get; init; }

    /// <summary>Clock for the inactivity and idle checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Adds stages to the path of the bytes received from the given side; no stages means bytes go from one
    /// socket to the other through one pipe.
    /// </summary>
    public Action<RelaySide, DataPathBuilder>? ConfigurePath { get; init; }

    /// <summary>
    /// A side was lost (reset or socket error); raised once, before both connections are reset, on the
    /// relay's I/O thread: hand the event off, do not block, do not throw.
    /// </summary>
    public Action<RelaySide, SocketError>? OnLoss { get; init; }

    /// <summary>
    /// Nothing was received from a side for <see cref="MgLimits.InactivityTimeout"/>; raised once per silent
    /// period, again after the side has sent something and gone silent anew. Raised on a timer thread: hand
    /// the event off, do not block, do not throw.
    /// </summary>
    public Action<RelaySide>? OnInactivity { get; init; }

    /// <summary>Whether bytes received from side A may flow to B from the start (<see cref="Relay.SetFlow"/> changes it later).</summary>
    public bool FlowFromA { get; init; } = true;

    /// <summary>Whether bytes received from side B may flow to A from the start.</summary>
    public bool FlowFromB { get; init; } = true;
}
