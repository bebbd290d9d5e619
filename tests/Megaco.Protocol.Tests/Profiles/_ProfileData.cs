using System.Text.Json.Nodes;
using Megaco.Protocol.Profiles;

namespace Megaco.Protocol.Tests.Profiles;

/// <summary>The shipped <c>profiles/</c> directory, and scratch copies of it that a test may break.</summary>
internal static class ProfileData
{
    private static readonly Lazy<ProfileCatalog> Shipped = new(() => ProfileLoader.LoadDirectory(Directory));

    public static string Directory => Path.Combine(RepoPaths.RepoRoot, "profiles");

    public static ProfileCatalog Catalog => Shipped.Value;

    public static IEnumerable<string> ProfileNames => ["iq", "ix", "mp"];

    /// <summary>A copy of the shipped data in a fresh temporary directory.</summary>
    public static ScratchProfiles Copy()
    {
        var root = Path.Combine(Path.GetTempPath(), "h248-profiles-" + Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(Path.Combine(root, "packages"));
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.json"))
        {
            File.Copy(file, Path.Combine(root, Path.GetFileName(file)));
        }
        foreach (var file in System.IO.Directory.GetFiles(Path.Combine(Directory, "packages"), "*.json"))
        {
            File.Copy(file, Path.Combine(root, "packages", Path.GetFileName(file)));
        }
        return new ScratchProfiles(root);
    }
}

internal sealed class ScratchProfiles(string root) : IDisposable
{
    public string Root { get; } = root;

    public JsonObject Read(string relative) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, relative)))!.AsObject();

    public void Write(string relative, JsonNode node) =>
        File.WriteAllText(Path.Combine(Root, relative), node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

    public void Edit(string relative, Action<JsonObject> edit)
    {
        var node = Read(relative);
        edit(node);
        Write(relative, node);
    }

    public ProfileCatalog Load() => ProfileLoader.LoadDirectory(Root);

    public void Dispose() => System.IO.Directory.Delete(Root, recursive: true);
}
