using System.Buffers;
using System.IO.Pipelines;

namespace Megaco.Mg.DataPath.Stages;

/// <summary>
/// Copies every byte unchanged: the transparent relay's stage (e2e mode, where the UE's TLS passes through
/// untouched). A path with no stages forwards the same bytes without the extra pipe; this stage exists for
/// paths that mix transparent and rewriting steps.
/// </summary>
public sealed class ForwardingStage : IDataPathStage
{
    public async ValueTask RunAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            foreach (var segment in buffer)
            {
                output.Write(segment.Span);
            }
            input.AdvanceTo(buffer.End);
            var flush = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled || flush.IsCompleted || flush.IsCanceled)
            {
                return;
            }
        }
    }
}
