using Megaco.Protocol.Profiles;

namespace Megaco.Mg.Cli;

/// <summary>
/// <c>profile statement NAME [--profiles DIR] [--out FILE]</c>: writes the Markdown conformance
/// statement of a profile, and <c>profile check [--profiles DIR]</c>: loads and lints the data.
/// The data is read from <c>--profiles</c>, else from the <c>profiles/</c> copied beside the
/// executable at build time (Megaco.Mg.csproj). A bad file is reported naming file, item and fault,
/// with exit status 1.
/// </summary>
internal static class ProfileCommand
{
    public const string Usage = "usage: Megaco.Mg profile statement NAME [--profiles DIR] [--out FILE] | profile check [--profiles DIR]";

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "profiles");

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var directory = DefaultDirectory;
        string? outFile = null;
        var words = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--profiles" when i + 1 < args.Count:
                    directory = args[++i];
                    break;
                case "--out" when i + 1 < args.Count:
                    outFile = args[++i];
                    break;
                case "-h" or "--help":
                    stdout.WriteLine(Usage);
                    return 0;
                default:
                    words.Add(args[i]);
                    break;
            }
        }

        ProfileCatalog catalog;
        try
        {
            catalog = ProfileLoader.LoadDirectory(directory);
        }
        catch (ProfileLoadException e)
        {
            stderr.WriteLine("profile: " + e.Message);
            return 1;
        }

        switch (words)
        {
            case ["check"]:
                stdout.WriteLine(catalog.Packages.Count + " packages and " + catalog.Profiles.Count + " profiles loaded from " + directory);
                return 0;
            case ["statement", var name]:
                if (!catalog.TryGetProfile(name, out var profile))
                {
                    stderr.WriteLine("profile: no profile '" + name + "' (known: " + string.Join(", ", catalog.Profiles.Select(p => p.Name)) + ")");
                    return 1;
                }
                var text = ConformanceStatement.Write(catalog, profile);
                if (outFile is null)
                {
                    stdout.Write(text);
                }
                else
                {
                    File.WriteAllText(outFile, text);
                }
                return 0;
            default:
                stderr.WriteLine(Usage);
                return 2;
        }
    }
}
