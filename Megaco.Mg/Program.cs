using Megaco.Mg.Cli;
using Megaco.Mg.Control;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Megaco.Mg;

public static class Program
{
    public const string Help = """
        Megaco.Mg — the H.248 media gateway of H248.

        usage:
          Megaco.Mg [--Control:Listen=udp://127.0.0.1:2944] [--Control:Mid=NAME] [--Control:Encoding=Pretty|Compact]
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
