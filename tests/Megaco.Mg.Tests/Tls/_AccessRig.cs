using System.Net.Sockets;
using Megaco.Mg.DataPath;
using Megaco.Mg.Tests.DataPath;

namespace Megaco.Mg.Tests.Tls;

/// <summary>
/// The e2ae layout around the MG as TLS server: an s_client UE connected to the passive access bearer and
/// the test's clear peer connected to the passive core bearer; disposing closes all four.
/// </summary>
internal sealed class AccessRig : IAsyncDisposable
{
    private AccessRig(TcpBearer access, TcpBearer core, Socket corePeer, OpenSsl client)
    {
        Access = access;
        Core = core;
        CorePeer = corePeer;
        Client = client;
    }

    public TcpBearer Access { get; }

    public TcpBearer Core { get; }

    public Socket CorePeer { get; }

    public OpenSsl Client { get; }

    public static async Task<AccessRig> Open(string[] clientArguments, CancellationToken cancellationToken)
    {
        var pool = Loopback.Pool();
        var access = Loopback.Passive(pool);
        var (core, corePeer) = await TlsRig.Core(pool, cancellationToken);
        var client = await TlsRig.StartClient(access, clientArguments, cancellationToken);
        return new AccessRig(access, core, corePeer, client);
    }

    /// <summary>The relay of the e2ae mode: the established TLS leg on side A, the clear core on side B.</summary>
    public Relay Relay(Megaco.Mg.Tls.TlsLeg leg) => Megaco.Mg.DataPath.Relay.Start(RelayLeg.Secured(leg), RelayLeg.Plain(Core));

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        CorePeer.Dispose();
        await Core.DisposeAsync();
        await Access.DisposeAsync();
    }
}
