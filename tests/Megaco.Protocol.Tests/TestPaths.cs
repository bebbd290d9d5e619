namespace Megaco.Protocol.Tests;

/// <summary>Where the repository and the shared corpora are, from the test assembly's folder.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The shared folder beside the clone (CI puts it there; so does a developer's machine).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string OtpCorpus => Path.Combine(Shared, "corpus", "otp-megaco-tests");

    public static string OwnCorpus => Path.Combine(RepositoryRoot, "tests", "corpus");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "H248.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("H248.sln not found above " + AppContext.BaseDirectory);
    }
}
