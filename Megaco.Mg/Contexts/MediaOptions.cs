using System.Net;
using Megaco.Mg.Tls;

namespace Megaco.Mg.Contexts;

/// <summary>
/// The media side of the MG, bound from configuration section <c>Media</c>: where bearers listen, how many
/// contexts and terminations it holds, and the bearer timers. <see cref="Validate"/> lists every fault, so a
/// bad configuration stops start-up with all of them at once; the certificate files are read once, by
/// <see cref="CertificateSource"/>, which names what is wrong in them.
/// </summary>
public sealed class MediaOptions
{
    public const string Section = "Media";

    /// <summary>The address bearers listen on and connect from; it fills <c>c=IN IP4 $</c> of a Local descriptor.</summary>
    public string BearerAddress { get; set; } = "127.0.0.1";

    /// <summary>First port of the bearer range (below the Linux ephemeral range 32768–60999, so outgoing connections never take one).</summary>
    public int FirstPort { get; set; } = 20000;

    public int LastPort { get; set; } = 29999;

    /// <summary>Contexts held at once; one more is error 412.</summary>
    public int MaxContexts { get; set; } = 8000;

    /// <summary>
    /// Terminations per context: 2 for an IMS-AGW or TrGW (one access and one core leg, TS 29.334 §5, TS 29.238);
    /// more for an MRFP conference. One more is error 434.
    /// </summary>
    public int MaxTerminationsPerContext { get; set; } = 2;

    /// <summary>How long a bearer may take to be accepted or connected (per attempt when connecting).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int ConnectAttempts { get; set; } = 3;

    public TimeSpan ConnectRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>No bytes either way for this long releases a relayed pair; zero disables it.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Detection time of <c>adid/ipstop</c> when the MGC requests it without its <c>dt</c> parameter.</summary>
    public TimeSpan DefaultInactivityTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes the relay holds per direction.</summary>
    public int MaxBufferedBytesPerStream { get; set; } = MgLimits.DefaultMaxBufferedBytesPerStream;

    /// <summary>The MG's certificate for TLS terminations with <c>a=fingerprint:&lt;hash&gt; $</c> in Local.</summary>
    public MgCertificateMode CertificateMode { get; set; } = MgCertificateMode.GeneratedAtStart;

    /// <summary>The key of generated certificates (GeneratedAtStart, PerSession): EcdsaP256 or Rsa (2048 bits).</summary>
    public MgKeyType CertificateKeyType { get; set; } = MgKeyType.EcdsaP256;

    /// <summary>PEM certificate file for <see cref="MgCertificateMode.PemFiles"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM unencrypted private key file for <see cref="MgCertificateMode.PemFiles"/>.</summary>
    public string? PrivateKeyPath { get; set; }

    public IPAddress BearerIPAddress() =>
        IPAddress.TryParse(BearerAddress, out var address)
            ? address
            : throw new InvalidOperationException("Media:BearerAddress '" + BearerAddress + "' is not an IP address");

    /// <summary>Every configuration fault, in the words of the setting; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var faults = new List<string>();
        if (!IPAddress.TryParse(BearerAddress, out _))
        {
            faults.Add("Media:BearerAddress '" + BearerAddress + "' is not an IP address");
        }
        if (FirstPort < 1 || LastPort > IPEndPoint.MaxPort || LastPort < FirstPort)
        {
            faults.Add("Media:FirstPort..Media:LastPort (" + FirstPort + ".." + LastPort + ") is not a port range within 1..65535");
        }
        if (MaxContexts < 1)
        {
            faults.Add("Media:MaxContexts must be at least 1");
        }
        if (MaxTerminationsPerContext < 1)
        {
            faults.Add("Media:MaxTerminationsPerContext must be at least 1");
        }
        if (HandshakeTimeout <= TimeSpan.Zero)
        {
            faults.Add("Media:HandshakeTimeout must be positive");
        }
        if (ConnectAttempts < 1)
        {
            faults.Add("Media:ConnectAttempts must be at least 1");
        }
        if (ConnectRetryDelay < TimeSpan.Zero || IdleTimeout < TimeSpan.Zero || DefaultInactivityTime <= TimeSpan.Zero)
        {
            faults.Add("Media:ConnectRetryDelay and Media:IdleTimeout must not be negative, Media:DefaultInactivityTime must be positive");
        }
        if (MaxBufferedBytesPerStream < MgLimits.MinBufferedBytesPerStream)
        {
            faults.Add("Media:MaxBufferedBytesPerStream must be at least " + MgLimits.MinBufferedBytesPerStream);
        }
        if (!Enum.IsDefined(CertificateMode) || !Enum.IsDefined(CertificateKeyType))
        {
            faults.Add("Media:CertificateMode is GeneratedAtStart, PerSession or PemFiles; Media:CertificateKeyType is EcdsaP256 or Rsa");
        }
        if (CertificateMode == MgCertificateMode.PemFiles)
        {
            if (string.IsNullOrEmpty(CertificatePath) || string.IsNullOrEmpty(PrivateKeyPath))
            {
                faults.Add("Media:CertificateMode PemFiles needs Media:CertificatePath and Media:PrivateKeyPath");
            }
            else if (!File.Exists(CertificatePath) || !File.Exists(PrivateKeyPath))
            {
                faults.Add("Media:CertificatePath '" + CertificatePath + "' or Media:PrivateKeyPath '" + PrivateKeyPath + "' does not exist");
            }
        }
        return faults;
    }

    /// <summary>
    /// The certificate source these options name: a certificate generated or loaded now (the PEM pair is read
    /// here, once per call: the MG process calls it once at start), or one per session. A PEM pair that cannot be
    /// used is an <see cref="ArgumentException"/> naming the setting (never the key).
    /// </summary>
    public MgCertificateSource CertificateSource()
    {
        switch (CertificateMode)
        {
            case MgCertificateMode.PerSession:
                return MgCertificateSource.PerSession(CertificateKeyType);
            case MgCertificateMode.PemFiles:
                try
                {
                    return MgCertificateSource.Shared(MgCertificate.LoadPem(CertificatePath!, PrivateKeyPath!));
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
                {
                    throw new ArgumentException("Media:CertificatePath/Media:PrivateKeyPath: " + e.Message, e);
                }
            default:
                return MgCertificateSource.GeneratedAtStart(CertificateKeyType);
        }
    }

    /// <summary>The bearer and relay limits these options set; <paramref name="inactivity"/> is the relay's inactivity detection time.</summary>
    public MgLimits Limits(TimeSpan inactivity = default) => new()
    {
        HandshakeTimeout = HandshakeTimeout,
        ConnectAttempts = ConnectAttempts,
        ConnectRetryDelay = ConnectRetryDelay,
        IdleTimeout = IdleTimeout,
        InactivityTimeout = inactivity,
        MaxBufferedBytesPerStream = MaxBufferedBytesPerStream,
    };
}
