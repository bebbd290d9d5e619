using System.Net;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transactions;
using Megaco.Protocol.Transport;

namespace Megaco.Mgc.Tests.Fakes;

/// <summary>Notify requests as the MG sends them (H.248.1 §7.2.7).</summary>
internal static class Notifies
{
    private static uint _transaction = 1000;

    public static IncomingRequest Request(uint context, string termination, uint requestId, params ObservedEvent[] events) =>
        Of(new ActionRequest(new ContextId(context),
            [new CommandRequest(new NotifyRequest([new TerminationId(termination)], new ObservedEventsDescriptor(requestId, [.. events])))]));

    public static IncomingRequest Of(params ActionRequest[] actions) =>
        new(MegacoEndpoint.Udp(new IPEndPoint(IPAddress.Loopback, 2944)), MId.IPv4("127.0.0.1", 2944), 3,
            new TransactionRequest(Interlocked.Increment(ref _transaction), [.. actions]));

    public static ObservedEvent Event(string package, string item, params (string Name, string Value)[] parameters) =>
        new(new PkgdName(package, item), Parameters: [.. parameters.Select(p => new PropertyParm(new PkgdName("", p.Name), [p.Value]))]);
}
