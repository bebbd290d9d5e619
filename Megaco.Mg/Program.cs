using Megaco.Mg.Cli;
using Megaco.Mg.Control;
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
          Megaco.Mg [--Control:Listen=udp://127.0.0.1:2944] [--Control:Mid=NAME] [--Control:Encoding=Pretty|Compact]
                    [--Profile:Name=iq|ix|mp] [--Profile:Directory=DIR]
                    [--Media:BearerAddress=IP] [--Media:FirstPort=N] [--Media:LastPort=N]
                    [--Media:MaxContexts=N] [--Media:MaxTerminationsPerContext=N]
                    [--Media:HandshakeTimeout=T] [--Media:ConnectAttempts=N] [--Media:ConnectRetryDelay=T]
                    [--Media:IdleTimeout=T] [--Media:DefaultInactivityTime=T] [--Media:MaxBufferedBytesPerStream=N]
          Megaco.Mg decode [--compact] [--out DIR] FILE...
          Megaco.Mg profile statement NAME [--profiles DIR] [--out FILE]
          Megaco.Mg profile check [--profiles DIR]
          Megaco.Mg --help

        Every option is also read from appsettings.json and from environment variables
        (Control__Listen=...), per the .NET Generic Host conventions.
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

        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddOptions<ControlOptions>()
            .Bind(builder.Configuration.GetSection(ControlOptions.Section))
            .Validate(o => Validates(o), "Control:Listen must be udp://address:port")
            .ValidateOnStart();
        builder.Services.AddHostedService<ControlListener>();

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
    }

    private static bool Validates(ControlOptions options)
    {
        try
        {
            options.ListenEndPoint();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
