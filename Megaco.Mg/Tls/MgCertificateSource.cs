namespace Megaco.Mg.Tls;

/// <summary>
/// Where a TLS termination's certificate comes from: one certificate for the whole MG (generated at start
/// or loaded from PEM), or a fresh self-signed one per session so sessions cannot be linked by fingerprint.
/// </summary>
public sealed class MgCertificateSource
{
    private readonly MgCertificate? _shared;
    private readonly MgKeyType _perSessionKeyType;

    private MgCertificateSource(MgCertificate? shared, MgKeyType perSessionKeyType)
    {
        _shared = shared;
        _perSessionKeyType = perSessionKeyType;
    }

    public static MgCertificateSource Shared(MgCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new MgCertificateSource(certificate, default);
    }

    /// <summary>A certificate generated once now, for every session.</summary>
    public static MgCertificateSource GeneratedAtStart(MgKeyType keyType = MgKeyType.EcdsaP256) =>
        Shared(MgCertificate.GenerateSelfSigned(keyType));

    /// <summary>A new self-signed certificate for each session; prefer ECDSA here, RSA generation is slow.</summary>
    public static MgCertificateSource PerSession(MgKeyType keyType = MgKeyType.EcdsaP256) => new(null, keyType);

    public bool IsPerSession => _shared is null;

    /// <summary>The certificate for a new session, whose fingerprint goes into that termination's Local descriptor.</summary>
    public MgCertificate ForSession() => _shared ?? MgCertificate.GenerateSelfSigned(_perSessionKeyType);
}
