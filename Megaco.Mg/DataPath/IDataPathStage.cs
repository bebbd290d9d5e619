using System.IO.Pipelines;

namespace Megaco.Mg.DataPath;

/// <summary>
/// One step of a termination's data path: reads what arrives on <paramref name="input"/> and writes what
/// must leave on <paramref name="output"/>. A stage knows nothing of H.248; whatever the MGC decides reaches
/// it as constructor arguments.
/// </summary>
/// <remarks>
/// Return when the input completes (that is the peer's FIN); <see cref="DataPathBuilder"/> then completes
/// both pipes, which carries the half-close to the next stage. Throwing fails the path and resets both peers.
/// Flush after every write: the flush is where backpressure from the next stage arrives.
/// </remarks>
public interface IDataPathStage
{
    ValueTask RunAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken);
}
