namespace Megaco.Mg.Tls;

/// <summary>An established TLS session failed: a bad record, a fatal alert from the peer, a protocol violation.</summary>
public sealed class TlsRecordException(string message, Exception? inner = null) : IOException(message, inner);
