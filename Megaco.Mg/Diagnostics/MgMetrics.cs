using System.Diagnostics.Metrics;
using System.Net.Sockets;

namespace Megaco.Mg.Diagnostics;

/// <summary>
/// The MG's System.Diagnostics.Metrics instruments, created through <see cref="IMeterFactory"/> so each host
/// (and each test) gets its own meter. No termination or context ids as tags: their cardinality is unbounded.
/// </summary>
/// <remarks>
/// | Instrument               | Kind          | Unit           | Tags                       | Meaning                                            |
/// |--------------------------|---------------|----------------|----------------------------|----------------------------------------------------|
/// | mg.relay.bytes           | Counter       | By             | direction = in \| out      | bytes received from / sent to bearer peers         |
/// | mg.connections.active    | UpDownCounter | {connection}   |                            | established bearer connections                     |
/// | mg.bearer.ports.in_use   | UpDownCounter | {port}         |                            | bearer ports rented from the pool                  |
/// | mg.relay.errors          | Counter       | {error}        | error.type                 | connections lost, refused or timed out             |
/// | mg.contexts.active       | UpDownCounter | {context}      |                            | contexts in the context table                      |
/// | mg.terminations.active   | UpDownCounter | {termination}  |                            | terminations in contexts                           |
/// | mg.commands.errors       | Counter       | {error}        | h248.error_code            | commands answered with an H.248 error              |
/// error.type is a <see cref="SocketError"/> name (ConnectionReset, TimedOut, …) or "refused" for a
/// connection the latching policy turned away, or "idle" for an idle timeout.
/// </remarks>
public sealed class MgMetrics
{
    public const string MeterName = "Megaco.Mg";

    private static readonly KeyValuePair<string, object?> In = new("direction", "in");
    private static readonly KeyValuePair<string, object?> Out = new("direction", "out");
    private static readonly KeyValuePair<string, object?> Refused = new("error.type", "refused");
    private static readonly KeyValuePair<string, object?> Idle = new("error.type", "idle");

    private readonly Counter<long> _bytes;
    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _ports;
    private readonly Counter<long> _errors;
    private readonly UpDownCounter<long> _contexts;
    private readonly UpDownCounter<long> _terminations;
    private readonly Counter<long> _commandErrors;

    public MgMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _bytes = meter.CreateCounter<long>("mg.relay.bytes", "By", "Bytes relayed, received from (in) or sent to (out) a bearer peer.");
        _connections = meter.CreateUpDownCounter<long>("mg.connections.active", "{connection}", "Established bearer connections.");
        _ports = meter.CreateUpDownCounter<long>("mg.bearer.ports.in_use", "{port}", "Bearer ports rented from the pool.");
        _errors = meter.CreateCounter<long>("mg.relay.errors", "{error}", "Bearer connections lost, refused or timed out.");
        _contexts = meter.CreateUpDownCounter<long>("mg.contexts.active", "{context}", "Contexts in the context table.");
        _terminations = meter.CreateUpDownCounter<long>("mg.terminations.active", "{termination}", "Terminations in contexts.");
        _commandErrors = meter.CreateCounter<long>("mg.commands.errors", "{error}", "Commands answered with an H.248 error.");
    }

    internal void BytesIn(long count) => _bytes.Add(count, In);

    internal void BytesOut(long count) => _bytes.Add(count, Out);

    internal void ConnectionOpened() => _connections.Add(1);

    internal void ConnectionClosed() => _connections.Add(-1);

    internal void PortRented() => _ports.Add(1);

    internal void PortReleased() => _ports.Add(-1);

    internal void ConnectionRefused() => _errors.Add(1, Refused);

    internal void IdleTimedOut() => _errors.Add(1, Idle);

    internal void Error(SocketError error) => _errors.Add(1, new KeyValuePair<string, object?>("error.type", error.ToString()));

    internal void ContextCreated() => _contexts.Add(1);

    internal void ContextRemoved() => _contexts.Add(-1);

    internal void TerminationAdded() => _terminations.Add(1);

    internal void TerminationRemoved() => _terminations.Add(-1);

    internal void CommandFailed(ushort code) => _commandErrors.Add(1, new KeyValuePair<string, object?>("h248.error_code", code));
}
