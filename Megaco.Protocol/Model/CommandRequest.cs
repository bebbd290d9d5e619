namespace Megaco.Protocol.Model;

/// <summary>
/// A command with its v2+ prefixes: <c>O-</c> (optional: a failure does not stop the
/// transaction) and <c>W-</c> (wildcarded response: one reply for all matched terminations).
/// </summary>
public sealed record CommandRequest(Command Command, bool Optional = false, bool WildcardReturn = false);
