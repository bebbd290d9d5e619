using Megaco.Mg.Cli;
using Megaco.Mg.Contexts;
using Megaco.Mg.Control;
using Megaco.Mg.Diagnostics;
using Megaco.Mg.Tls;
using Megaco.Protocol.Profiles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Megaco.Mg;

public static class Program
{
    public const string Help = """
        Megaco.Mg — the H.248 media gateway of H248.

        usage:
          Megaco.Mg [--listen udp://127.0.0.1:2944] [--mgc udp://127.0.0.1:2945 ...] [--encoding pretty|compact]
                    [--version 1|2|3] [--profile iq|ix|mp] [--mid NAME] [--Section:Key=value ...]
          Megaco.Mg decode [--compact] [--out DIR] FILE...
          Megaco.Mg profile statement NAME [--profiles DIR] [--out FILE]
          Megaco.Mg profile check [--profiles DIR]
          Megaco.Mg --help

        control (section Control):
          --listen     Control:Listen    where the MG receives H.248: udp://host:port or tcp://host:port
                                         (default udp://127.0.0.1:2944)
          --mgc        Control:Mgc:N     an MGC to register with, in order of preference; repeat for more
                                         (default udp://127.0.0.1:2945)
          --encoding   Control:Encoding  pretty or compact text for what the MG sends (default compact)
          --version    Control:Version   H.248 version offered at registration (default 3)
          --mid        Control:Mid       the MG's mId as a device name (default: its listen address)
        profile (section Profile):
          --profile    Profile:Name      iq (IMS-AGW, TS 29.334), ix (TrGW, TS 29.238), mp (MRFP, TS 29.333)
                       Profile:Directory the profiles/ directory (default: the copy beside the executable)
        media (section Media):
          Media:BearerAddress            address bearers listen on and connect from (default 127.0.0.1)
          Media:FirstPort, LastPort      the bearer port range (default 20000-29999)
          Media:MaxContexts              contexts held at once; one more is error 412 (default 8000)
          Media:MaxTerminationsPerContext  2 for an IMS-AGW or TrGW, more for an MRFP (default 2)
          Media:HandshakeTimeout         bearer accept/connect time per attempt, and TLS handshake time (default 00:00:10)
          Media:ConnectAttempts, ConnectRetryDelay  outgoing connection retries (default 3, 00:00:00.5)
          Media:IdleTimeout              no bytes either way releases a relayed pair; 0 disables (default 00:10:00)
          Media:DefaultInactivityTime    adid/ipstop detection time when the MGC gives none (default 00:00:30)
          Media:MaxBufferedBytesPerStream  bytes the relay holds per direction
          Media:CertificateMode          the MG's TLS certificate: GeneratedAtStart, PerSession or PemFiles (default GeneratedAtStart)
          Media:CertificateKeyType       key of generated certificates: EcdsaP256 or Rsa (default EcdsaP256)
          Media:CertificatePath, PrivateKeyPath  PEM certificate and unencrypted key for PemFiles

        Every option is also read from appsettings.json and from environment variables
        (Control__Listen=..., Control__Mgc__0=...), per the .NET Generic Host conventions.
        """;

    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "decode")
        {
            using var stdout = Console.OpenStandardOutput();
            return DecodeCommand.Run(args[1..], Console.In, stdout, Console.Error);
        }
        if (args.Length > 0 && args[0] == "profile")
        {
            return ProfileCommand.Run(args[1..], Console.Out, Console.Error);
        }
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Help);
            return 0;
        }

        string[] hostArgs;
        try
        {
            hostArgs = CommandLineShortcuts.Expand(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("usage error: " + e.Message);
            return 2;
        }
        var builder = Host.CreateApplicationBuilder(hostArgs);
        var control = builder.Configuration.GetSection(ControlOptions.Section).Get<ControlOptions>() ?? new ControlOptions();
        var media = builder.Configuration.GetSection(MediaOptions.Section).Get<MediaOptions>() ?? new MediaOptions();
        var faults = control.Validate().Concat(media.Validate()).ToList();
        MgCertificateSource? certificates = null;
        if (faults.Count == 0)
        {
            // The only reading of Media:CertificatePath/PrivateKeyPath (or generation of the start-up certificate).
            try
            {
                certificates = media.CertificateSource();
            }
            catch (ArgumentException e)
            {
                faults.Add(e.Message);
            }
        }
        if (faults.Count > 0 || certificates is null)
        {
            Console.Error.WriteLine("configuration error: " + string.Join("; ", faults));
            return 2;
        }
        builder.Services.AddSingleton(certificates);
        builder.Services.AddOptions<ControlOptions>().Bind(builder.Configuration.GetSection(ControlOptions.Section));
        builder.Services.AddOptions<MediaOptions>().Bind(builder.Configuration.GetSection(MediaOptions.Section));
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<MgMetrics>();
        builder.Services.AddSingleton<MgControlService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MgControlService>());

        // The profile data is loaded and linted before anything listens: a bad file stops start-up
        // with the file, the item and the fault.
        var profileOptions = builder.Configuration.GetSection(ProfileOptions.Section).Get<ProfileOptions>() ?? new ProfileOptions();
        ProfileCatalog catalog;
        try
        {
            catalog = ProfileLoader.LoadDirectory(profileOptions.Directory ?? ProfileCommand.DefaultDirectory);
        }
        catch (ProfileLoadException e)
        {
            Console.Error.WriteLine("profile data error: " + e.Message);
            return 2;
        }
        if (!catalog.TryGetProfile(profileOptions.Name, out var profile))
        {
            Console.Error.WriteLine("configuration error: Profile:Name '" + profileOptions.Name + "' is not one of "
                + string.Join(", ", catalog.Profiles.Select(p => p.Name)));
            return 2;
        }
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(new ProfileValidator(catalog, profile));
        try
        {
            builder.Build().Run();
            return 0;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            Console.Error.WriteLine("configuration error: " + string.Join("; ", e.Failures));
            return 2;
        }
        catch (StartupException e)
        {
            Console.Error.WriteLine("start-up error: " + e.Message);
            return 3;
        }
    }
}
