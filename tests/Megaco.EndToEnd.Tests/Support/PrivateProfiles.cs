using System.Text.Json.Nodes;

namespace Megaco.EndToEnd.Tests.Support;

/// <summary>
/// A copy of the repository's profiles/ in a temp folder with one profile marked <c>"private": true</c>: an operator's
/// profile that may emit items still provisional under public package ids (profiles/README.md), such as
/// <c>adid/ipstop</c>. Deleted at dispose.
/// </summary>
internal sealed class PrivateProfiles : IDisposable
{
    public PrivateProfiles(string profile)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("e2e-profiles-").FullName;
        var source = Path.Combine(RepoPaths.RepoRoot, "profiles");
        foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Directory, Path.GetRelativePath(source, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var path = Path.Combine(Directory, profile + ".json");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        json["private"] = true;
        File.WriteAllText(path, json.ToJsonString());
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
