using System.Text.Json.Nodes;
using Megaco.Protocol.Profiles;

namespace Megaco.Protocol.Tests.Profiles;

public sealed class ProfileLoaderTests
{
    [Fact]
    public void Shipped_data_loads_and_lints()
    {
        var catalog = ProfileData.Catalog;
        Assert.Equal(Directory.GetFiles(Path.Combine(ProfileData.Directory, "packages"), "*.json").Length, catalog.Packages.Count);
        Assert.Equal(["iq", "ix", "mp"], catalog.Profiles.Select(p => p.Name));
    }

    // IANA Megaco/H.248 packages registry (2017-12-11), per shared/spec/packages-and-profiles.md §0.
    [Theory]
    [InlineData("g", 0x0001)]
    [InlineData("root", 0x0002)]
    [InlineData("nt", 0x000b)]
    [InlineData("it", 0x0045)]
    [InlineData("ds", 0x008b)]
    [InlineData("gm", 0x008c)]
    [InlineData("tman", 0x008d)]
    [InlineData("hangterm", 0x0098)]
    [InlineData("ipnapt", 0x0099)]
    [InlineData("adid", 0x009c)]
    [InlineData("ipdc", 0x009d)]
    [InlineData("adr", 0x00ac)]
    [InlineData("rtcph", 0x00b5)]
    [InlineData("ipra", 0x00e0)]
    [InlineData("lstat", 0x00e4)]
    [InlineData("msrpstat", 0x00ea)]
    [InlineData("msrpcs", 0x00eb)]
    [InlineData("msi", 0x00ee)]
    [InlineData("tcpbcc", 0x0115)]
    [InlineData("tcprm", 0x0116)]
    [InlineData("tlsbsc", 0x0117)]
    [InlineData("tlscn", 0x0118)]
    [InlineData("tlsm", 0x0119)]
    [InlineData("tlstv", 0x011a)]
    [InlineData("seplink", 0x011b)]
    [InlineData("dtlscn", 0x011e)]
    public void Package_names_and_ids_are_the_registered_ones(string name, int id)
    {
        Assert.True(ProfileData.Catalog.TryGetPackage(name.ToUpperInvariant(), out var byName));
        Assert.Equal(id, byName.Id);
        Assert.True(ProfileData.Catalog.TryGetPackage((ushort)id, out var byId));
        Assert.Same(byName, byId);
    }

    [Fact]
    public void Extending_packages_inherit_the_items_of_the_package_they_extend()
    {
        Assert.True(ProfileData.Catalog.TryGetPackage("adr", out var adr));
        Assert.NotNull(adr.FindProperty("latch"));
        Assert.NotNull(adr.FindEvent("rsac"));
        Assert.Equal(new PackageReference("ipnapt", 1), adr.Extends);

        Assert.True(ProfileData.Catalog.TryGetPackage("dtlscn", out var dtlscn));
        Assert.True(ProfileData.Catalog.TryGetPackage("tlscn", out var tlscn));
        Assert.Equal(new PackageReference("tlscn", 1), dtlscn.Extends);
        Assert.Equal(tlscn.Properties.Select(p => p.Name), dtlscn.Properties.Select(p => p.Name));
    }

    /// <summary>An item confirmed against a source names it; one still provisional says what was searched.</summary>
    [Fact]
    public void Confirmed_items_name_their_source_and_provisional_ones_say_why()
    {
        Assert.True(ProfileData.Catalog.TryGetPackage("it", out var it));
        Assert.False(it.FindEvent("ito")!.Provisional);
        Assert.Contains("H.248.14", it.FindEvent("ito")!.Source, StringComparison.Ordinal);
        Assert.True(ProfileData.Catalog.TryGetPackage("rtcph", out var rtcph));
        var rtcpa = rtcph.FindProperty("rtcpa")!;
        Assert.True(rtcpa.Provisional);
        Assert.Null(rtcpa.Source);
        Assert.Contains("searched", rtcpa.Note, StringComparison.Ordinal);
        foreach (var package in ProfileData.Catalog.Packages)
        {
            foreach (var (name, provisional, note) in package.Properties.Select(p => (p.Name, p.Provisional, p.Note))
                .Concat(package.Events.Select(e => (e.Name, e.Provisional, e.Note)))
                .Concat(package.Signals.Select(s => (s.Name, s.Provisional, s.Note)))
                .Concat(package.Statistics.Select(s => (s.Name, s.Provisional, s.Note))))
            {
                Assert.True(!provisional || !string.IsNullOrEmpty(note), package.Name + "/" + name + " is provisional without a note");
            }
        }
    }

    [Fact]
    public void Item_source_of_the_wrong_type_is_refused()
    {
        using var scratch = ProfileData.Copy();
        scratch.Edit("packages/it.json", p => p["events"]![0]!["source"] = 7);
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal("packages/it.json", e.File);
        Assert.Contains("source", e.JsonPath + e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_package_id_is_refused_naming_file_path_and_fault()
    {
        using var scratch = ProfileData.Copy();
        scratch.Edit("packages/tlsm.json", p => p["id"] = "0x0117");
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal("packages/tlsm.json", e.File);
        Assert.Equal("$.id", e.JsonPath);
        Assert.Contains("duplicate package id 0x0117", e.Message, StringComparison.Ordinal);
        Assert.Contains("tlsbsc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_package_name_is_refused()
    {
        using var scratch = ProfileData.Copy();
        var copy = scratch.Read("packages/tlsm.json");
        copy["name"] = "TLSM";
        copy["id"] = "0x80ff";
        scratch.Write("packages/TLSM.json", copy);
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Contains("duplicate package name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dangling_extends_is_refused()
    {
        using var scratch = ProfileData.Copy();
        scratch.Edit("packages/adr.json", p => p["extends"]!["name"] = "nosuch");
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal(("packages/adr.json", "$.extends.name"), (e.File, e.JsonPath));
        Assert.Contains("'nosuch'", e.Fault, StringComparison.Ordinal);
    }

    [Fact]
    public void Extends_cycle_is_refused()
    {
        using var scratch = ProfileData.Copy();
        scratch.Edit("packages/ipnapt.json", p => p["extends"] = new JsonObject { ["name"] = "lstat", ["version"] = 1 });
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal("$.extends", e.JsonPath);
        Assert.Contains("cycle", e.Fault, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_default_is_refused_with_the_value()
    {
        using var scratch = ProfileData.Copy();
        scratch.Edit("packages/ipnapt.json", p => p["properties"]![0]!["default"] = "sometimes");
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal(("packages/ipnapt.json", "$.properties[0].default"), (e.File, e.JsonPath));
        Assert.Contains("'sometimes'", e.Fault, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_type_is_refused()
    {
        using var scratch = ProfileData.Copy();
        scratch.Edit("packages/ds.json", p => p["properties"]![0]!["type"] = "float");
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal("$.properties[0].type", e.JsonPath);
    }

    [Fact]
    public void Duplicate_item_is_refused()
    {
        using var scratch = ProfileData.Copy();
        scratch.Edit("packages/tman.json", p => p["properties"]![1]!["name"] = "POL");
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal("$.properties[1].name", e.JsonPath);
        Assert.Contains("duplicate name 'POL'", e.Fault, StringComparison.Ordinal);
    }

    [Fact]
    public void Misspelt_key_is_refused()
    {
        using var scratch = ProfileData.Copy();
        scratch.Edit("packages/root.json", p => p["properties"]![0]!["readonly"] = true);
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal("$.properties[0].readonly", e.JsonPath);
    }

    [Fact]
    public void Missing_package_of_a_profile_is_refused()
    {
        using var scratch = ProfileData.Copy();
        File.Delete(Path.Combine(scratch.Root, "packages", "seplink.json"));
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal("iq.json", e.File);
        Assert.StartsWith("$.packages[", e.JsonPath, StringComparison.Ordinal);
        Assert.Contains("'seplink'", e.Fault, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_version_above_the_package_file_is_refused()
    {
        using var scratch = ProfileData.Copy();
        scratch.Edit("ix.json", p => p["packages"]![0]!["version"] = 3);
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal(("ix.json", "$.packages[0].version"), (e.File, e.JsonPath));
    }

    [Fact]
    public void Invalid_json_is_refused_naming_the_file()
    {
        using var scratch = ProfileData.Copy();
        File.WriteAllText(Path.Combine(scratch.Root, "packages", "g.json"), "{ \"name\": ");
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal("packages/g.json", e.File);
    }

    [Fact]
    public void Profile_default_must_be_valid()
    {
        using var scratch = ProfileData.Copy();
        scratch.Edit("mp.json", p => p["defaults"]!["root/normalMGExecutionTime"] = "soon");
        var e = Assert.Throws<ProfileLoadException>(scratch.Load);
        Assert.Equal("$.defaults['root/normalMGExecutionTime']", e.JsonPath);
        Assert.Contains("'soon'", e.Fault, StringComparison.Ordinal);
    }
}
