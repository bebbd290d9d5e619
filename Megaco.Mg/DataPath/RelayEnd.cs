using System.Net.Sockets;

namespace Megaco.Mg.DataPath;

/// <summary>How a relay ended; <see cref="Side"/> and <see cref="Error"/> say where a loss came from.</summary>
public readonly record struct RelayEnd(RelayEndReason Reason, RelaySide? Side = null, SocketError Error = SocketError.Success);
