using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Megaco.EndToEnd.Tests.Support;

/// <summary>
/// Our MG as a real process: <c>dotnet Megaco.Mg.dll</c> from the Megaco.Mg project's output of the same
/// configuration as this test assembly (the project reference builds it first), with the repository's profiles.
/// Its stdout and stderr are kept (the last lines) for failure messages; dispose kills the process tree and waits
/// a bounded time.
/// </summary>
internal sealed class MgProcess : IAsyncDisposable
{
    private const int KeptLines = 400;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private MgProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The built MG beside this test assembly's configuration (Debug or Release).</summary>
    public static string DllPath
    {
        get
        {
            var configuration = typeof(MgProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var path = Path.Combine(RepoPaths.RepoRoot, "Megaco.Mg", "bin", configuration, "net10.0", "Megaco.Mg.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("the MG is not built (the project reference builds it)", path);
        }
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the MG with the repository's profiles, information-level logs, and <paramref name="arguments"/> (which may override them).</summary>
    public static MgProcess Start(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        // Defaults first: a later value of the same key (from arguments) wins.
        start.ArgumentList.Add("--Profile:Directory=" + Path.Combine(RepoPaths.RepoRoot, "profiles"));
        start.ArgumentList.Add("--Logging:LogLevel:Default=Information");
        start.ArgumentList.Add("--Logging:Console:FormatterName=simple");
        start.ArgumentList.Add("--Logging:Console:FormatterOptions:SingleLine=true");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet Megaco.Mg.dll");
        process.StandardInput.Close();
        return new MgProcess(process);
    }

    /// <summary>The last lines the MG printed (stdout and stderr interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Open sockets of the process (its <c>/proc/PID/fd</c> entries that are sockets): the control socket,
    /// bearer listeners and connections.</summary>
    public int SocketCount()
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{Pid}/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The descriptor closed while it was read.
            }
        }
        return count;
    }

    /// <summary>SIGTERM, as an operator's service manager stops it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("could not run kill");
        kill.WaitForExit(5_000);
    }

    /// <summary>Waits for the process to end; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }
}
