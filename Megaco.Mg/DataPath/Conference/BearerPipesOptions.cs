namespace Megaco.Mg.DataPath.Conference;

/// <summary>How <see cref="BearerPipes"/> pump a participant's connection.</summary>
public sealed record BearerPipesOptions
{
    /// <summary>The window (<see cref="MgLimits.MaxBufferedBytesPerStream"/>) and the inactivity time (<see cref="MgLimits.InactivityTimeout"/>).</summary>
    public MgLimits Limits { get; init; } = new();

    /// <summary>
    /// Nothing was received from the peer for <see cref="MgLimits.InactivityTimeout"/> (the application data
    /// inactivity the MGC asks for, adid/ipstop); raised once per silent stretch, again only after the peer has
    /// sent something. Never with a zero timeout.
    /// </summary>
    public Action? OnInactivity { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
