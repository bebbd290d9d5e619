using Megaco.Mg.Tls;
using Megaco.Protocol.Profiles;
using Megaco.TestSupport;

namespace Megaco.Mg.Tests.Tls;

/// <summary>The private tlsx package and the TLS types agree: every cause and version the MG reports is a value the package defines.</summary>
public sealed class TlsxPackageTests
{
    private static readonly PackageDefinition Tlsx = Load();

    [Fact]
    public void Tlsx_is_private_so_its_items_may_be_sent()
    {
        Assert.Equal(0x8002, Tlsx.Id);
        Assert.True(Tlsx.IsPrivate);
        Assert.All(["pskid", "psk", "minver"], name => Assert.NotNull(Tlsx.FindProperty(name)));
    }

    [Fact]
    public void Every_failure_cause_is_a_value_of_the_fail_event()
    {
        var cause = Tlsx.FindEvent("fail")!.ObservedParameters.Single(p => p.Name == "cause");
        var tokens = Enum.GetValues<TlsFailureCause>().Select(TlsOutcome.CauseToken).ToArray();
        Assert.Equal(tokens.Length, tokens.Distinct().Count());
        Assert.Equal(cause.Domain.Values.Order(), tokens.Order());
    }

    [Fact]
    public void Every_version_is_a_value_of_minver_and_of_the_est_event()
    {
        var minver = Tlsx.FindProperty("minver")!.Domain.Values;
        var ver = Tlsx.FindEvent("est")!.ObservedParameters.Single(p => p.Name == "ver").Domain.Values;
        foreach (var version in Enum.GetValues<TlsVersion>())
        {
            var token = TlsVersions.Token(version);
            Assert.Contains(token, minver);
            Assert.Contains(token, ver);
            Assert.True(TlsVersions.TryParse(token, out var parsed));
            Assert.Equal(version, parsed);
        }
        Assert.False(TlsVersions.TryParse("ssl3", out _));
    }

    private static PackageDefinition Load()
    {
        var catalog = ProfileLoader.LoadDirectory(Path.Combine(RepoPaths.RepoRoot, "profiles"));
        Assert.True(catalog.TryGetPackage("tlsx", out var package));
        foreach (var profile in catalog.Profiles)
        {
            Assert.Contains(profile.Packages, p => p.Name == "tlsx");
        }
        return package;
    }
}
