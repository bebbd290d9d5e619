using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Megaco.Mgc.Results;
using Megaco.Protocol.Errors;
using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Sdp;
using Megaco.Protocol.Transactions;

namespace Megaco.Mgc.Commands;

/// <summary>
/// Reads what the MG answered: one action reply per request, its command replies, the Local descriptors it
/// filled and the statistics it returned. The MG is a network peer: a reply that lacks what the contract
/// promises is a <see cref="MgcFailureKind.GatewayError"/>, never an exception.
/// </summary>
internal static class GatewayReplies
{
    /// <summary>
    /// The single action reply of <paramref name="result"/>. False with the failure when there is no reply, a
    /// transaction or action error, or (with a validator) a command reply the profile refuses. On an action
    /// error, <paramref name="action"/> is still set when the MG sent the action so that what it did can be undone.
    /// </summary>
    public static bool TryGetAction(TransactionResult result, ProfileValidator? validator, out ActionReply? action, [NotNullWhen(false)] out MgcFailure? failure)
    {
        action = null;
        if (result.Reply is not { } reply)
        {
            failure = new MgcFailure(MgcFailureKind.GatewayUnavailable, "no reply from the MG: " + result.Failure);
            return false;
        }
        if (reply.Error is { } transactionError)
        {
            failure = FromError(transactionError);
            return false;
        }
        if (reply.Actions.Count != 1)
        {
            failure = new MgcFailure(MgcFailureKind.GatewayError, "the MG answered one action with " + reply.Actions.Count);
            return false;
        }
        action = reply.Actions[0];
        if (action.Error is { } actionError)
        {
            failure = FromError(actionError);
            return false;
        }
        foreach (var command in action.Commands)
        {
            if (ErrorIn(command) is { } commandError)
            {
                failure = FromError(commandError);
                return false;
            }
            if (validator?.Validate(command) is { } invalid)
            {
                failure = new MgcFailure(MgcFailureKind.GatewayError, "the MG's reply breaks profile " + validator.Profile.Name + ": " + invalid.Text, invalid.Code);
                return false;
            }
        }
        failure = null;
        return true;
    }

    /// <summary>
    /// H.248.8 code to failure kind (see <see cref="MgcFailureKind"/>): resources → 503, MG out of service → 503,
    /// media it cannot do → 488, the rest → 500.
    /// </summary>
    public static MgcFailure FromError(ErrorDescriptor error)
    {
        var kind = (H248ErrorCode)error.Code switch
        {
            H248ErrorCode.NoContextIdsAvailable or H248ErrorCode.OutOfTerminationIds or H248ErrorCode.MaxTerminationsInContextExceeded
                or H248ErrorCode.InsufficientResources or H248ErrorCode.InsufficientBandwidth or H248ErrorCode.TemporarilyBusy
                => MgcFailureKind.GatewayResourcesExhausted,
            H248ErrorCode.NotReady or H248ErrorCode.ServiceUnavailable or H248ErrorCode.TransactionRequestReceivedBeforeServiceChangeReply
                or H248ErrorCode.TerminationIsServiceChanging or H248ErrorCode.NumberOfTransactionPendingsExceeded
                or H248ErrorCode.TemporaryNetworkFailure or H248ErrorCode.PermanentNetworkFailure
                => MgcFailureKind.GatewayUnavailable,
            H248ErrorCode.NotImplemented or H248ErrorCode.UnsupportedMediaType or H248ErrorCode.UnsupportedOrInvalidMode
                or H248ErrorCode.InvalidSdpSyntax or H248ErrorCode.ConflictingPropertyValues
                => MgcFailureKind.MediaRefused,
            _ when error.Code is >= 400 and < 500 => MgcFailureKind.MediaRefused,
            _ => MgcFailureKind.GatewayError,
        };
        return new MgcFailure(kind, error.Text ?? "error " + error.Code.ToString(CultureInfo.InvariantCulture), error.Code);
    }

    /// <summary>The Add replies of an action, in order: each termination the MG created.</summary>
    public static IReadOnlyList<TerminationId> AddedTerminations(ActionReply? action)
    {
        var added = new List<TerminationId>();
        if (action is null)
        {
            return added;
        }
        foreach (var command in action.Commands)
        {
            if (command is AmmsReply { Kind: AmmsKind.Add } add && ErrorIn(command) is null && add.TerminationIds.Count == 1
                && !add.TerminationIds[0].IsWildcarded && !add.TerminationIds[0].IsRoot)
            {
                added.Add(add.TerminationIds[0]);
            }
        }
        return added;
    }

    /// <summary>
    /// The Local the MG filled for an Add or Modify reply, read as MSRP media: its address and port must be
    /// concrete; with <paramref name="wantFingerprint"/> a fingerprint, with <paramref name="wantPath"/> a path.
    /// </summary>
    public static bool TryReadLocal(CommandReply reply, bool wantFingerprint, bool wantPath,
        [NotNullWhen(true)] out FilledLocal? local, [NotNullWhen(false)] out MgcFailure? failure)
    {
        local = null;
        if (reply.TerminationIds.Count != 1 || reply.TerminationIds[0].IsWildcarded || reply.TerminationIds[0].IsRoot)
        {
            // Contract: the MG names the termination it chose (msrp/N); a wildcard here would later subtract others.
            failure = Broken("the reply names no single concrete termination");
            return false;
        }
        var descriptor = LocalOf(reply);
        if (descriptor is null)
        {
            failure = Broken("no Local descriptor in the reply for " + Describe(reply));
            return false;
        }
        // The MG's own a=setup in the reply is not used (the MGC shows the role it asked for), so a '$' it left
        // there does not make the rest unreadable.
        var session = SessionDescription.FromDescriptor(descriptor);
        session = session with { Media = [.. session.Media.AsSpan().ToArray().Select(m => m.WithoutAttribute("setup"))] };
        if (!MsrpMedia.TryRead(session, out var media, out var index, out var error))
        {
            failure = Broken("the Local of " + Describe(reply) + " is not MSRP media: " + error);
            return false;
        }
        if (media.Address is not { } address || media.Port is not ({ } port and > 0)
            || session.ConnectionOf(session.Media[index]) is not { } connection)
        {
            failure = Broken("the MG left the address or port of " + Describe(reply) + " unfilled");
            return false;
        }
        if (wantFingerprint && (media.Fingerprints.Count == 0 || !media.Fingerprints.All(f => SdpFingerprint.TryParse(f, out _))))
        {
            failure = Broken("the MG gave no certificate fingerprint for " + Describe(reply));
            return false;
        }
        if (wantPath && (media.Path.Count == 0 || !media.Path.All(Sdp.ReceivedMedia.IsMsrpUri)))
        {
            failure = Broken("the MG gave no MSRP path for " + Describe(reply));
            return false;
        }
        local = new FilledLocal(reply.TerminationIds[0], media, connection, address, port);
        failure = null;
        return true;
    }

    /// <summary>The statistics of every Subtract reply of an action (H.248.1 §7.2.4; v3 also inside Media/Stream).</summary>
    public static IReadOnlyList<TerminationStatistics> Statistics(ActionReply? action)
    {
        var all = new List<TerminationStatistics>();
        if (action is null)
        {
            return all;
        }
        foreach (var command in action.Commands)
        {
            if (command is not AmmsReply { Kind: AmmsKind.Subtract } subtract)
            {
                continue;
            }
            var parameters = new List<StatisticsParameter>();
            foreach (var descriptor in subtract.Audit ?? ValueList<Descriptor>.Empty)
            {
                switch (descriptor)
                {
                    case StatisticsDescriptor statistics:
                        parameters.AddRange(statistics.Parameters);
                        break;
                    case MediaDescriptor media:
                        if (media.Stream?.Statistics is { } streamStatistics)
                        {
                            parameters.AddRange(streamStatistics.Parameters);
                        }
                        foreach (var stream in media.Streams)
                        {
                            if (stream.Parms.Statistics is { } perStream)
                            {
                                parameters.AddRange(perStream.Parameters);
                            }
                        }
                        break;
                }
            }
            foreach (var termination in subtract.TerminationIds)
            {
                var duration = Number(parameters, "dur") is { } ms && ms <= (ulong)TimeSpan.MaxValue.TotalMilliseconds
                    ? TimeSpan.FromMilliseconds(ms)
                    : (TimeSpan?)null;
                all.Add(new TerminationStatistics(termination, Number(parameters, "os"), Number(parameters, "or"), duration,
                    new ValueList<StatisticsParameter>(parameters)));
            }
        }
        return all;
    }

    public static ErrorDescriptor? ErrorIn(CommandReply reply)
    {
        var audit = reply switch
        {
            AmmsReply amms => amms.Audit,
            AuditReply audited => audited.Audit,
            _ => null,
        };
        foreach (var descriptor in audit ?? ValueList<Descriptor>.Empty)
        {
            if (descriptor is ErrorDescriptor error)
            {
                return error;
            }
        }
        return reply switch
        {
            NotifyReply notify => notify.Error,
            ServiceChangeReply serviceChange => serviceChange.Error,
            AuditReply audited => audited.ContextAuditError,
            _ => null,
        };
    }

    private static LocalRemoteDescriptor? LocalOf(CommandReply reply)
    {
        if (reply is not AmmsReply { Audit: { } audit })
        {
            return null;
        }
        foreach (var descriptor in audit)
        {
            if (descriptor is MediaDescriptor media)
            {
                if (media.Stream?.Local is { } local)
                {
                    return local;
                }
                foreach (var stream in media.Streams)
                {
                    if (stream.Parms.Local is { } streamLocal)
                    {
                        return streamLocal;
                    }
                }
            }
        }
        return null;
    }

    private static ulong? Number(List<StatisticsParameter> parameters, string item)
    {
        foreach (var parameter in parameters)
        {
            if (parameter.Name.Package.Equals("nt", StringComparison.OrdinalIgnoreCase)
                && parameter.Name.Item.Equals(item, StringComparison.OrdinalIgnoreCase)
                && parameter.Values is { Count: 1 } values
                && ulong.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return number;
            }
        }
        return null;
    }

    private static string Describe(CommandReply reply) =>
        reply.TerminationIds.Count == 1 ? reply.TerminationIds[0].Text : "the termination";

    private static MgcFailure Broken(string detail) => new(MgcFailureKind.GatewayError, detail);
}
