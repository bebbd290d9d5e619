using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Megaco.Mg.Tests.Tls;

/// <summary>
/// openssl s_client / s_server as UEs: one process with binary stdin and stdout, stderr kept for messages,
/// killed with its tree on dispose. A missing openssl fails the test (xunit 2 has no runtime skip), with
/// CI=true named in the message.
/// </summary>
internal sealed class OpenSsl : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task _stderrPump;

    private OpenSsl(Process process)
    {
        _process = process;
        _stderrPump = Task.Run(async () =>
        {
            var text = await process.StandardError.ReadToEndAsync();
            lock (_stderr)
            {
                _stderr.Append(text);
            }
        });
    }

    public Stream Stdin => _process.StandardInput.BaseStream;

    public Stream Stdout => _process.StandardOutput.BaseStream;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static string Require() =>
        Find("openssl") ?? throw new InvalidOperationException(
            string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
                ? "openssl is missing (CI=true: install Debian package openssl)"
                : "openssl is missing: install Debian package openssl");

    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);

    public static OpenSsl Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Require())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return new OpenSsl(Process.Start(start) ?? throw new InvalidOperationException("could not start openssl"));
    }

    /// <summary>Reads stdout until the process closes it; returns count and SHA-256.</summary>
    public async Task<(long Count, byte[] Hash)> ReadAllStdout(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        while (true)
        {
            var n = await Stdout.ReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                return (count, hash.GetHashAndReset());
            }
            hash.AppendData(buffer, 0, n);
            count += n;
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes from stdout.</summary>
    public async Task<byte[]> ReadStdout(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await Stdout.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    public async Task<bool> WaitForExit(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            // Its stderr is complete once the pump has read to the end.
            await _stderrPump.WaitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await WaitForExit(TimeSpan.FromSeconds(10));
            await Task.WhenAny(_stderrPump, Task.Delay(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            _process.Dispose();
        }
    }
}

/// <summary>A UE's self-signed certificate written as PEM files for openssl, with its DER for fingerprints; the folder goes on dispose.</summary>
internal sealed class UeCertificate : IDisposable
{
    private readonly string _dir;

    private UeCertificate(string dir, byte[] der)
    {
        _dir = dir;
        Der = der;
    }

    public string CertPath => Path.Combine(_dir, "cert.pem");

    public string KeyPath => Path.Combine(_dir, "key.pem");

    public byte[] Der { get; }

    public static UeCertificate Create(bool rsa = false)
    {
        var dir = Directory.CreateTempSubdirectory("h248-tls-").FullName;
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = key is RSA rsaKey
            ? new CertificateRequest("CN=ue", rsaKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=ue", (ECDsa)key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(dir, "cert.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        return new UeCertificate(dir, certificate.RawData);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
