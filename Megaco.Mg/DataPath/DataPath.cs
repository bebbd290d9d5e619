using System.IO.Pipelines;

namespace Megaco.Mg.DataPath;

/// <summary>
/// One direction of a relay once built: the socket receive loop writes to <see cref="Input"/>, the send loop
/// reads from <see cref="Output"/>, and <see cref="RunAsync"/> drives the stages in between.
/// </summary>
public sealed class DataPath
{
    private readonly IReadOnlyList<IDataPathStage> _stages;
    private readonly Pipe[] _pipes;

    internal DataPath(IReadOnlyList<IDataPathStage> stages, Pipe[] pipes, int receiveSize)
    {
        _stages = stages;
        _pipes = pipes;
        ReceiveSize = receiveSize;
    }

    public PipeWriter Input => _pipes[0].Writer;

    public PipeReader Output => _pipes[^1].Reader;

    /// <summary>The most one socket receive may write into <see cref="Input"/>, part of the window bound.</summary>
    public int ReceiveSize { get; }

    public int StageCount => _stages.Count;

    /// <summary>Runs every stage until its input completes; never throws (a stage's failure completes its pipes with the error).</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        if (_stages.Count == 0)
        {
            return Task.CompletedTask;
        }
        var runs = new Task[_stages.Count];
        for (var i = 0; i < runs.Length; i++)
        {
            runs[i] = RunStageAsync(_stages[i], _pipes[i].Reader, _pipes[i + 1].Writer, cancellationToken);
        }
        return Task.WhenAll(runs);
    }

    private static async Task RunStageAsync(IDataPathStage stage, PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            await stage.RunAsync(input, output, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error = new OperationCanceledException(cancellationToken);
        }
        catch (Exception e)
        {
            error = e;
        }
        await input.CompleteAsync(error).ConfigureAwait(false);
        await output.CompleteAsync(error).ConfigureAwait(false);
    }
}
