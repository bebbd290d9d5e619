using System.IO.Pipelines;
using Megaco.Mg.DataPath.Msrp;

namespace Megaco.Mg.DataPath.Stages;

/// <summary>
/// The MSRP-aware (B2BUA) stage of one direction: To-Path and From-Path rewritten per
/// <see cref="MsrpPathMapping"/> by <see cref="MsrpPathRewriter"/>, every other byte as it came. A stream
/// that breaks MSRP framing fails the path, which resets both peers.
/// </summary>
public sealed class PathRewriteStage(MsrpPathMapping mapping) : IDataPathStage
{
    public async ValueTask RunAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        var error = await new MsrpPathRewriter(mapping).RunAsync(input, output, cancellationToken).ConfigureAwait(false);
        if (error.IsError)
        {
            throw new InvalidDataException(error.ToString());
        }
    }
}
