using Megaco.Mg.Cli;

namespace Megaco.Mg.Tests.Cli;

public sealed class ProfileCommandTests
{
    [Fact]
    public void Profile_data_is_copied_beside_the_executable_and_lints()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Assert.Equal(0, ProfileCommand.Run(["check"], stdout, stderr));
        var packages = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "profiles", "packages"), "*.json").Length;
        Assert.True(packages > 0);
        Assert.StartsWith(packages + " packages and 3 profiles", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Statement_verb_writes_the_markdown()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, ProfileCommand.Run(["statement", "mp"], stdout, TextWriter.Null));
        Assert.StartsWith("# Conformance statement: MRFP on Mp", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_profile_and_bad_data_fail_with_a_message()
    {
        var stderr = new StringWriter();
        Assert.Equal(1, ProfileCommand.Run(["statement", "nosuch"], TextWriter.Null, stderr));
        Assert.Contains("no profile 'nosuch'", stderr.ToString(), StringComparison.Ordinal);

        var bad = Path.Combine(Path.GetTempPath(), "h248-bad-profiles-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Path.Combine(bad, "packages"));
        try
        {
            File.WriteAllText(Path.Combine(bad, "packages", "g.json"), """{ "name": "g", "id": "0x0000", "version": 1 }""");
            stderr = new StringWriter();
            Assert.Equal(1, ProfileCommand.Run(["check", "--profiles", bad], TextWriter.Null, stderr));
            Assert.Contains("packages/g.json: $.id:", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(bad, recursive: true);
        }
    }

    [Fact]
    public void Bad_profile_data_or_name_stops_MG_start_up()
    {
        var bad = Path.Combine(Path.GetTempPath(), "h248-bad-start-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Path.Combine(bad, "packages"));
        try
        {
            File.WriteAllText(Path.Combine(bad, "packages", "g.json"), """{ "name": "g", "id": "0x0001", "version": 1, "extends": { "name": "nosuch", "version": 1 } }""");
            Assert.Equal(2, Program.Main(["--Profile:Directory=" + bad, "--Control:Listen=udp://127.0.0.1:1"]));
            Assert.Equal(2, Program.Main(["--Profile:Name=nosuch", "--Control:Listen=udp://127.0.0.1:1"]));
        }
        finally
        {
            Directory.Delete(bad, recursive: true);
        }
    }
}
