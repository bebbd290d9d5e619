using System.Globalization;
using Megaco.Mgc.Conferences;
using Megaco.Mgc.Gateway;
using Megaco.Mgc.Sessions;
using Megaco.Protocol.Association;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Text;

namespace Megaco.EndToEnd.Tests.Support;

/// <summary>
/// Our MGC library in this process (<see cref="OurMgc"/>'s registry, a <see cref="RegisteredMgChannel"/>, a session and a
/// conference controller) and our MG as a real process registered with it, on fresh loopback ports.
/// </summary>
internal sealed class MgRig : IAsyncDisposable
{
    public static readonly TimeSpan RegistrationTimeout = TimeSpan.FromSeconds(30);

    private MgRig(OurMgc mgc, MgProcess mg, string listen, IReadOnlyList<string> arguments, int firstPort, int lastPort)
    {
        Mgc = mgc;
        Process = mg;
        Listen = listen;
        Arguments = arguments;
        FirstPort = firstPort;
        LastPort = lastPort;
    }

    public OurMgc Mgc { get; }

    public MgProcess Process { get; private set; }

    /// <summary>The MG's control endpoint, e.g. <c>udp://127.0.0.1:PORT</c>.</summary>
    public string Listen { get; }

    public IReadOnlyList<string> Arguments { get; }

    public int FirstPort { get; }

    public int LastPort { get; }

    public RegisteredMg Mg { get; private set; } = null!;

    public MsrpSessionController Sessions { get; private set; } = null!;

    public MsrpConferenceController Conferences { get; private set; } = null!;

    /// <summary>Starts our MGC on <paramref name="transport"/> and the MG process registering with it; returns once registered.</summary>
    public static async Task<MgRig> StartAsync(string transport = "udp", string profile = "iq", int ports = 40, params string[] more)
    {
        var mgc = OurMgc.Start(transport, TextStyle.Compact);
        var listen = $"{transport}://127.0.0.1:{ErlangPeer.FreePort(transport == "tcp")}";
        var first = BearerPorts.Range(ports);
        string[] arguments = [
            "--listen", listen, "--mgc", mgc.Endpoint.ToString(), "--profile", profile,
            "--Media:FirstPort=" + first.ToString(CultureInfo.InvariantCulture),
            "--Media:LastPort=" + (first + ports - 1).ToString(CultureInfo.InvariantCulture),
            .. more];
        var rig = new MgRig(mgc, MgProcess.Start(arguments), listen, arguments, first, first + ports - 1);
        try
        {
            await rig.AttachAsync(profile);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the MG process (no goodbye) and starts it again on the same control port and options.</summary>
    public async Task RestartProcessAsync()
    {
        await Process.DisposeAsync();
        Mgc.ExpectAnotherRegistration();
        Process = MgProcess.Start(Arguments);
        await Mgc.WaitRegisteredAsync(RegistrationTimeout, () => "MG output: " + Process.Output);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling, at most <paramref name="timeout"/>; fails with <paramref name="what"/> and the MG's output.</summary>
    public async Task EventuallyAsync(Func<bool> condition, string what, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                Assert.Fail($"{what}: not within {timeout.TotalSeconds} s; MGC changes: {string.Join(", ", Mgc.Changes)}; MG output:\n{Process.Output}");
            }
            await Task.Delay(50);
        }
    }

    private async Task AttachAsync(string profile)
    {
        Mg = await Mgc.WaitRegisteredAsync(RegistrationTimeout, () => "MG output: " + Process.Output);
        var catalog = ProfileLoader.LoadDirectory(Path.Combine(RepoPaths.RepoRoot, "profiles"));
        var channel = new RegisteredMgChannel(Mg);
        Sessions = new MsrpSessionController(channel, new ProfileValidator(catalog, catalog.GetProfile(profile)));
        Conferences = new MsrpConferenceController(channel, new ProfileValidator(catalog, catalog.GetProfile(profile)));
        // One MG serves both controllers here; a test uses one of them at a time.
        Mgc.Requests = (request, cancellationToken) => Conferences.ActiveContexts > 0
            ? Conferences.HandleRequestAsync(request, cancellationToken)
            : Sessions.HandleRequestAsync(request, cancellationToken);
        Mgc.GatewayLost = () =>
        {
            Sessions.OnGatewayLost();
            Conferences.OnGatewayLost();
        };
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        await Mgc.DisposeAsync();
    }
}
