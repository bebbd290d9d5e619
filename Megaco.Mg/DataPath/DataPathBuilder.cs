using System.IO.Pipelines;

namespace Megaco.Mg.DataPath;

/// <summary>
/// Composes the stages of one direction of a termination's data path (TLS, MSRP framing, path rewriting
/// come later) into pipes whose pause thresholds together stay within
/// <see cref="MgLimits.MaxBufferedBytesPerStream"/>.
/// </summary>
public sealed class DataPathBuilder
{
    /// <summary>
    /// Largest single socket receive: 32 KiB, two TLS records (RFC 8446 §5.1). Half the default window, so
    /// a second receive can land while the first is being sent; 16 KiB receives cost measurably more CPU per GB.
    /// </summary>
    public const int MaxReceiveSize = 32 * 1024;

    private readonly List<IDataPathStage> _stages = [];

    public int Count => _stages.Count;

    public DataPathBuilder Add(IDataPathStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        _stages.Add(stage);
        return this;
    }

    /// <summary>
    /// Builds one pipe more than there are stages. The window is shared equally; a receive takes at most
    /// half a pipe's share, and in each pipe the writer pauses one receive short of its share, so a receive
    /// that lands just under the pause threshold still fits. With no stages the relay therefore never holds more than the window; a stage that writes more
    /// than it read before flushing (none yet) would add its own excess.
    /// </summary>
    public DataPath Build(MgLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var pipeCount = _stages.Count + 1;
        var share = limits.MaxBufferedBytesPerStream / pipeCount;
        var receiveSize = Math.Min(MaxReceiveSize, share / 2);
        var pause = share - receiveSize;
        var options = new PipeOptions(
            pauseWriterThreshold: pause,
            resumeWriterThreshold: pause / 2,
            // Inline: the send loop runs on the thread whose flush woke it, with no thread-pool hop per
            // receive; measured with relay-compare.sh, the hop cost about a fifth more CPU per GB.
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            minimumSegmentSize: receiveSize,
            useSynchronizationContext: false);
        var pipes = new Pipe[pipeCount];
        for (var i = 0; i < pipes.Length; i++)
        {
            pipes[i] = new Pipe(options);
        }
        return new DataPath(_stages.ToArray(), pipes, receiveSize);
    }
}
