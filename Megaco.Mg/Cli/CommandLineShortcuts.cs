namespace Megaco.Mg.Cli;

/// <summary>
/// The short control options of the MG's command line (<c>--listen</c>, <c>--mgc</c> repeatable,
/// <c>--encoding</c>, <c>--version</c>, <c>--profile</c>, <c>--mid</c>) rewritten to the configuration keys
/// the Generic Host binds, so each is also settable in appsettings.json and environment variables.
/// </summary>
public static class CommandLineShortcuts
{
    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["--listen"] = "Control:Listen",
        ["--encoding"] = "Control:Encoding",
        ["--version"] = "Control:Version",
        ["--mid"] = "Control:Mid",
        ["--profile"] = "Profile:Name",
    };

    /// <summary>Rewrites the shortcuts (<c>--listen X</c> or <c>--listen=X</c>); every other argument passes unchanged.</summary>
    public static string[] Expand(IReadOnlyList<string> args)
    {
        var expanded = new List<string>(args.Count);
        var mgcIndex = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=');
            var name = equals < 0 ? arg : arg[..equals];
            string? key = name == "--mgc" ? "Control:Mgc:" + mgcIndex : Keys.GetValueOrDefault(name);
            if (key is null)
            {
                expanded.Add(arg);
                continue;
            }
            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new ArgumentException($"{name} needs a value");
            }
            if (name == "--mgc")
            {
                mgcIndex++;
            }
            expanded.Add("--" + key + "=" + value);
        }
        return [.. expanded];
    }
}
