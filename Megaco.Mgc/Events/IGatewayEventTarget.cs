using Megaco.Protocol.Model;

namespace Megaco.Mgc.Events;

/// <summary>A session or conference that owns a context and hears the MG's Notify for it.</summary>
internal interface IGatewayEventTarget
{
    /// <summary>
    /// Takes the observed events of one termination; returns the H.248.8 error to answer with (430 unknown
    /// termination, 458 unexpected request id), or null when they were accepted.
    /// </summary>
    ErrorDescriptor? OnNotify(TerminationId termination, ObservedEventsDescriptor observed);

    /// <summary>The MG lost the context (restart, association lost): the target ends.</summary>
    void OnGatewayLost();
}
