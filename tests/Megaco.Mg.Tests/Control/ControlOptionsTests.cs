using Megaco.Mg.Cli;
using Megaco.Mg.Control;
using Megaco.Protocol.Model;
using Megaco.Protocol.Transport;

namespace Megaco.Mg.Tests.Control;

public sealed class ControlOptionsTests
{
    [Fact]
    public void DefaultsNeedNoConfiguration()
    {
        var options = new ControlOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(MegacoEndpoint.Parse("udp://127.0.0.1:2944"), options.ListenEndpoint());
        Assert.Equal([MegacoEndpoint.Parse(ControlOptions.DefaultMgc)], options.MgcEndpoints());
        Assert.Equal(3, options.Version);
    }

    [Fact]
    public void EveryFaultIsReportedWithItsOption()
    {
        var options = new ControlOptions
        {
            Listen = "sctp://127.0.0.1:1",
            Mgc = ["udp://127.0.0.1:2945", "udp://nowhere"],
            Version = 4,
            Mid = "9bad",
        };
        var faults = options.Validate();
        Assert.Equal(4, faults.Count);
        Assert.StartsWith("Control:Listen 'sctp://127.0.0.1:1'", faults[0]);
        Assert.StartsWith("Control:Mgc:1 'udp://nowhere'", faults[1]);
        Assert.StartsWith("Control:Version 4", faults[2]);
        Assert.StartsWith("Control:Mid '9bad'", faults[3]);
    }

    [Fact]
    public void AnMgcOnAnotherTransportThanTheListenerIsRefused()
    {
        var faults = new ControlOptions { Listen = "tcp://127.0.0.1:2944", Mgc = ["udp://127.0.0.1:2945"] }.Validate();
        Assert.Equal(["Control:Mgc:0 'udp://127.0.0.1:2945' is not on the listen transport (Tcp)"], faults);
    }

    [Fact]
    public void TheMIdIsTheDeviceNameOrTheListenAddress()
    {
        var bound = MegacoEndpoint.Parse("udp://[::1]:2944");
        Assert.Equal(MId.IPv6("::1", 2944), new ControlOptions().OwnMId(bound));
        Assert.Equal(MId.Device("mg1"), new ControlOptions { Mid = "mg1" }.OwnMId(bound));
    }

    [Theory]
    [InlineData("mg1", true)]
    [InlineData("gw_7/agw", true)]
    [InlineData("gw-7", false)]
    [InlineData("gw.example", false)]
    [InlineData("7gw", false)]
    public void AMidIsADeviceNameThePeerReadsBackUnchanged(string mid, bool valid)
    {
        Assert.Equal(valid, new ControlOptions { Mid = mid }.Validate().Count == 0);
        if (valid)
        {
            // What the MG would write in its header reads back as the same device name (H.248.1 Annex B deviceName).
            var text = "MEGACO/3 " + mid + " Transaction = 1 { Context = - { AuditValue = ROOT } }";
            var read = Megaco.Protocol.Text.MegacoTextReader.Default.Read(System.Text.Encoding.ASCII.GetBytes(text));
            Assert.True(read.IsSuccess, read.FirstError?.ToString());
            Assert.Equal(MId.Device(mid), read.Message!.MId);
        }
    }

    [Fact]
    public void ShortcutsBecomeConfigurationKeys()
    {
        string[] args = ["--listen", "tcp://127.0.0.1:3000", "--mgc", "tcp://127.0.0.1:1", "--mgc=tcp://127.0.0.1:2",
            "--encoding", "pretty", "--version=2", "--profile", "ix", "--mid", "mg7", "--Media:FirstPort=40000"];
        Assert.Equal(
            ["--Control:Listen=tcp://127.0.0.1:3000", "--Control:Mgc:0=tcp://127.0.0.1:1", "--Control:Mgc:1=tcp://127.0.0.1:2",
             "--Control:Encoding=pretty", "--Control:Version=2", "--Profile:Name=ix", "--Control:Mid=mg7", "--Media:FirstPort=40000"],
            CommandLineShortcuts.Expand(args));
        Assert.Throws<ArgumentException>(() => CommandLineShortcuts.Expand(["--mgc"]));
    }

    [Fact]
    public void BadOptionsStopStartUpWithStatus2() =>
        Assert.Equal(2, Program.Main(["--listen", "udp://127.0.0.1:0x", "--Profile:Name=iq"]));

    [Fact]
    public void AnUnusablePemPairStopsStartUpWithStatus2()
    {
        // The pair is read once, at start-up, and a certificate where the key should be is a fault then.
        using var ue = Tls.UeCertificate.Create();
        Assert.Equal(2, Program.Main(["--listen", "udp://127.0.0.1:0", "--Media:CertificateMode=PemFiles",
            "--Media:CertificatePath=" + ue.CertPath, "--Media:PrivateKeyPath=" + ue.CertPath]));
    }
}
