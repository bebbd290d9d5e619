namespace Megaco.Mg.Control;

/// <summary>The MG cannot start as configured (a port in use, an address not on this host); the message says which setting.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
