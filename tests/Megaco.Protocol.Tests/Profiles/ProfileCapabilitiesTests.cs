using Megaco.Protocol.Model;
using Megaco.Protocol.Profiles;
using Megaco.Protocol.Text;

namespace Megaco.Protocol.Tests.Profiles;

public sealed class ProfileCapabilitiesTests
{
    [Theory]
    [InlineData("iq")]
    [InlineData("ix")]
    [InlineData("mp")]
    public void Packages_descriptor_lists_every_profile_package_at_the_profile_version(string name)
    {
        var profile = ProfileData.Catalog.GetProfile(name);
        var packages = ProfileCapabilities.Packages(profile);
        Assert.Equal(profile.Packages.Select(p => p.Name + "-" + p.Version), packages.Packages.Select(p => p.ToString()));
    }

    [Fact]
    public void Root_and_ephemeral_terminations_get_their_class_packages()
    {
        var iq = ProfileData.Catalog.GetProfile("iq");
        Assert.Equal("root", ProfileCapabilities.ClassOf(iq, TerminationId.Root)!.Name);
        Assert.Equal("ip-tcp", ProfileCapabilities.ClassOf(iq, new TerminationId("ip/17"))!.Name);
        Assert.Null(ProfileCapabilities.ClassOf(iq, new TerminationId("tdm/1")));
        var root = ProfileCapabilities.Packages(iq, ProfileCapabilities.ClassOf(iq, TerminationId.Root));
        Assert.Equal(["g-1", "root-2", "it-1", "ipra-1"], root.Packages.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("iq", "ROOT")]
    [InlineData("iq", "ip/1")]
    [InlineData("ix", "ip/1")]
    [InlineData("mp", "ROOT")]
    public void AuditCapabilities_reply_is_built_from_the_data_validates_and_round_trips(string name, string termination)
    {
        var profile = ProfileData.Catalog.GetProfile(name);
        var id = new TerminationId(termination);
        var audit = ProfileCapabilities.AuditCapabilities(ProfileData.Catalog, profile, id);
        var reply = new AuditReply(AuditKind.Capabilities, [id], audit);
        var validator = new ProfileValidator(ProfileData.Catalog, profile);
        Assert.Null(validator.Validate(reply));

        var message = new MegacoMessage(3, MId.Domain("mg"), [new TransactionReply(1, [new ActionReply(ContextId.Null, [reply])])]);
        var text = MegacoTextWriter.ToText(message, TextStyle.Pretty);
        var read = MegacoTextReader.Default.Read(text);
        Assert.True(read.IsSuccess, read.FirstError + "\n" + text);
        Assert.Contains("Packages", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Provisional_items_are_not_advertised_under_public_ids_but_are_in_a_private_profile()
    {
        var iq = ProfileData.Catalog.GetProfile("iq");
        var ip = new TerminationId("ip/1");
        var text = Describe(ProfileCapabilities.AuditCapabilities(ProfileData.Catalog, iq, ip));
        Assert.DoesNotContain("ipnapt/latch", text, StringComparison.Ordinal);
        Assert.DoesNotContain("tlsbsc/estab", text, StringComparison.Ordinal);
        Assert.Contains("gm/saf", text, StringComparison.Ordinal);
        Assert.Contains("tlsbsc-1", text, StringComparison.Ordinal);

        var lab = Describe(ProfileCapabilities.AuditCapabilities(ProfileData.Catalog, iq with { Private = true }, ip));
        Assert.Contains("ipnapt/latch", lab, StringComparison.Ordinal);
        Assert.Contains("tlsbsc/estab", lab, StringComparison.Ordinal);
    }

    private static string Describe(ValueList<Descriptor> descriptors)
    {
        var reply = new AuditReply(AuditKind.Capabilities, [new TerminationId("ip/1")], descriptors);
        var message = new MegacoMessage(3, MId.Domain("mg"), [new TransactionReply(1, [new ActionReply(ContextId.Null, [reply])])]);
        return MegacoTextWriter.ToText(message, TextStyle.Compact);
    }
}
