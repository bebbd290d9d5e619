using Megaco.Protocol.Profiles;

namespace Megaco.Protocol.Tests.Profiles;

public sealed class ConformanceStatementTests
{
    /// <summary>The committed statement is what the data says now; regenerate with the command in its header.</summary>
    [Theory]
    [InlineData("iq")]
    [InlineData("ix")]
    [InlineData("mp")]
    public void Committed_statement_is_current(string name)
    {
        var expected = ConformanceStatement.Write(ProfileData.Catalog, ProfileData.Catalog.GetProfile(name));
        var path = Path.Combine(ProfileData.Directory, "statements", name + ".md");
        Assert.True(File.Exists(path), path + " is missing: dotnet run --project Megaco.Mg -- profile statement " + name + " --out " + path);
        Assert.True(expected == File.ReadAllText(path),
            "profiles/statements/" + name + ".md is stale: dotnet run --project Megaco.Mg -- profile statement " + name + " --out profiles/statements/" + name + ".md");
    }

    [Fact]
    public void Statement_names_every_item_with_its_status()
    {
        var iq = ProfileData.Catalog.GetProfile("iq");
        var text = ConformanceStatement.Write(ProfileData.Catalog, iq);
        foreach (var listed in iq.Packages)
        {
            Assert.True(ProfileData.Catalog.TryGetPackage(listed.Name, out var package));
            Assert.Contains("## `" + package.Name + "`", text, StringComparison.Ordinal);
            foreach (var item in package.Properties.Select(p => p.Name)
                .Concat(package.Events.Select(e => e.Name)).Concat(package.Signals.Select(s => s.Name)).Concat(package.Statistics.Select(s => s.Name)))
            {
                Assert.Contains("| `" + item + "` |", text, StringComparison.Ordinal);
            }
        }
        Assert.Contains("| `latch` | 0x0001 | off \\| latch \\| relatch | off | no | LocalControl | provisional |", text, StringComparison.Ordinal);
        Assert.Contains("## Procedures", text, StringComparison.Ordinal);
    }
}
