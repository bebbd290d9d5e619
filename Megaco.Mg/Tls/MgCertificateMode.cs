namespace Megaco.Mg.Tls;

/// <summary>Where the MG's certificate for TLS terminations comes from (configuration <c>Media:CertificateMode</c>).</summary>
public enum MgCertificateMode : byte
{
    /// <summary>One self-signed certificate generated when the MG starts, for every session.</summary>
    GeneratedAtStart,

    /// <summary>A fresh self-signed certificate per termination, so sessions cannot be linked by fingerprint.</summary>
    PerSession,

    /// <summary>One certificate and its private key loaded from PEM files at start.</summary>
    PemFiles,
}
