using Megaco.Protocol.Model;

namespace Megaco.Mg.Contexts;

/// <summary>
/// Where the MG's Notify commands go (H.248.1 §7.2.7): the association sends them to the MGC as
/// <c>Context = id { Notify = termination { ObservedEvents = requestId { … } } }</c>. Only events the MGC
/// requested on that termination reach it.
/// </summary>
public interface INotificationSink
{
    ValueTask NotifyAsync(ContextId context, TerminationId termination, ObservedEventsDescriptor observedEvents, CancellationToken cancellationToken);
}
