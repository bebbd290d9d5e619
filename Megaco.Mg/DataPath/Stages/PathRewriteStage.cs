using System.IO.Pipelines;
using Megaco.Mg.DataPath.Msrp;

namespace Megaco.Mg.DataPath.Stages;

/// <summary>
/// MSRP-aware (B2BUA) mode for one direction of a relay: To-Path and From-Path URIs rewritten per an
/// <see cref="MsrpPathMapping"/> (typically <see cref="MsrpPathMapping.Between"/> the arrival and departure
/// legs) by <see cref="MsrpPathRewriter"/>, every other byte as it came. Bodies stream through; only a
/// straddling header line or a partly matched end-line is held (<see cref="MsrpLimits"/>). A stream that
/// breaks RFC 4975, or ends inside a message, fails the path with <see cref="MsrpFramingException"/>, so the
/// relay resets both peers (<see cref="RelayEndReason.StageFailed"/>) after reporting the reason to
/// <c>onFramingError</c>.
/// </summary>
public sealed class PathRewriteStage : IDataPathStage
{
    private readonly MsrpPathMapping _mapping;
    private readonly MsrpLimits _limits;
    private readonly Action<MsrpFramingError>? _onFramingError;

    /// <param name="onFramingError">Raised once, on the relay's I/O thread, before the path fails: hand it off, do not block, do not throw.</param>
    public PathRewriteStage(MsrpPathMapping mapping, MsrpLimits? limits = null, Action<MsrpFramingError>? onFramingError = null)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        _mapping = mapping;
        _limits = limits ?? new MsrpLimits();
        _onFramingError = onFramingError;
    }

    /// <summary>The stage for messages arriving on <paramref name="arrival"/> and leaving on <paramref name="departure"/>.</summary>
    public static PathRewriteStage Between(MsrpLegPaths arrival, MsrpLegPaths departure, MsrpLimits? limits = null, Action<MsrpFramingError>? onFramingError = null) =>
        new(MsrpPathMapping.Between(arrival, departure), limits, onFramingError);

    public async ValueTask RunAsync(PipeReader input, PipeWriter output, CancellationToken cancellationToken)
    {
        // PumpAsync leaves the pipes open: DataPath completes them with the exception, which is what makes
        // the relay reset both peers rather than pass a clean FIN after a broken stream.
        var error = await new MsrpPathRewriter(_mapping, _limits).PumpAsync(input, output, cancellationToken).ConfigureAwait(false);
        if (error.IsError)
        {
            _onFramingError?.Invoke(error);
            throw new MsrpFramingException(error);
        }
    }
}
