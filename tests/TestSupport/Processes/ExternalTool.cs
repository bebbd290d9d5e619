using System.Diagnostics;

namespace Megaco.TestSupport;

/// <summary>
/// Finds and runs the outside tools the interop tests lean on (erl, erlc, tshark), each run bounded
/// in time; on timeout the whole process tree is killed so no VM or dissector outlives the test.
/// </summary>
public static class ExternalTool
{
    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// The path of <paramref name="name"/>, or an exception naming the package to install. xunit 2 has no
    /// runtime skip, so a missing tool fails the test both on CI (CI=true, where .ci/run installs it) and
    /// locally, with the install hint as the message.
    /// </summary>
    public static string Require(string name, string missingMessage) =>
        Find(name) ?? throw new InvalidOperationException(
            IsCi ? $"{missingMessage} (CI=true: .ci/run should have installed it)" : missingMessage);

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs a tool to completion or until <paramref name="timeout"/>, capturing both output streams.</summary>
    public static ToolResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        // Nothing is fed on stdin; closing it stops a tool that would wait for input.
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException(
                $"{Path.GetFileName(fileName)} did not finish within {timeout.TotalSeconds:0} s and was killed; stderr: {Tail(stderr)}");
        }
        // The streams end when the process exits; the wait only covers a grandchild holding them open.
        if (!Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"{Path.GetFileName(fileName)} exited but its output did not close");
        }
        return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs <paramref name="body"/> with a fresh temp folder that is removed afterwards, whatever happens.</summary>
    public static T WithTempDirectory<T>(string prefix, Func<string, T> body)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        try
        {
            return body(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Tail(Task<string> output)
    {
        if (!output.Wait(TimeSpan.FromSeconds(2)))
        {
            return "(unavailable)";
        }
        var text = output.Result;
        return text.Length <= 2000 ? text : text[^2000..];
    }
}
