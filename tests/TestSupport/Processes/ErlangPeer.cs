using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Megaco.TestSupport;

/// <summary>
/// One Erlang/OTP megaco peer of <c>tests/erlang</c> (<c>run-peer.sh mg|mgc</c>) as tests/erlang/README.md says to drive
/// it: its STEP/NOTIFY/INFO lines are read as they come, waits are bounded, and a peer still running at dispose is
/// killed with its process tree. A missing erl fails the test (with the install hint), on CI and off it.
/// </summary>
internal sealed class ErlangPeer : IAsyncDisposable
{
    public const string MissingMessage = "erlang-megaco not installed: apt-get install erlang-megaco";

    private readonly Process _process;
    private readonly Channel<string[]> _lines = Channel.CreateUnbounded<string[]>();
    private readonly List<string[]> _seen = [];
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;

    private ErlangPeer(Process process)
    {
        _process = process;
        _stdoutPump = PumpAsync(process.StandardOutput, line => _lines.Writer.TryWrite(line.Split('\t')), () => _lines.Writer.TryComplete());
        _stderrPump = PumpAsync(process.StandardError, line =>
        {
            lock (_stderr)
            {
                if (_stderr.Length < 20_000)
                {
                    _stderr.AppendLine(line);
                }
            }
        }, () => { });
    }

    public static ErlangPeer Start(string role, params string[] arguments)
    {
        ExternalTool.Require("erl", MissingMessage);
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.RepoRoot, "tests", "erlang", "run-peer.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(role);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start run-peer.sh");
        process.StandardInput.Close();
        return new ErlangPeer(process);
    }

    /// <summary>A loopback port free for now (UDP or TCP), for a peer to listen on.</summary>
    public static int FreePort(bool tcp, string host = "127.0.0.1")
    {
        var address = IPAddress.Parse(host);
        using var socket = tcp
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Every line read so far, fields split on TAB.</summary>
    public IReadOnlyList<string[]> Lines
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public string StdErr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Reads lines until <c>STEP name ...</c> and returns its fields; a FAILED or FATAL line, or the end, fails the test.</summary>
    public async Task<string[]> StepAsync(string name, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(cancel.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    lock (_seen)
                    {
                        _seen.Add(line);
                    }
                    if (line is ["STEP", var step, ..] && step == name)
                    {
                        return line;
                    }
                    if (line is ["FAILED" or "FATAL", ..])
                    {
                        Assert.Fail($"the Erlang peer gave up waiting for STEP {name}: {Describe()}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Assert.Fail($"no STEP {name} from the Erlang peer within {timeout.TotalSeconds} s: {Describe()}");
        }
        Assert.Fail($"the Erlang peer ended before STEP {name}: {Describe()}");
        return [];
    }

    /// <summary>Reads the rest of the output and waits for the exit; returns the exit status.</summary>
    public async Task<int> ExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(cancel.Token))
            {
                lock (_seen)
                {
                    _seen.Add(line);
                }
            }
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Assert.Fail($"the Erlang peer did not exit within {timeout.TotalSeconds} s: {Describe()}");
        }
        return _process.ExitCode;
    }

    public string Describe() =>
        "stdout: " + string.Join(" | ", Lines.Select(l => string.Join(" ", l))) + "; stderr: " + (StdErr.Length > 2000 ? StdErr[^2000..] : StdErr);

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine, Action onEnd)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                onLine(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The process was killed.
        }
        finally
        {
            onEnd();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(cancel.Token);
        await Task.WhenAll(_stdoutPump, _stderrPump).WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}
