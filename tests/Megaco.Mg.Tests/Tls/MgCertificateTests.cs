using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Megaco.Mg.Tls;
using Megaco.Protocol.Sdp;

namespace Megaco.Mg.Tests.Tls;

public sealed class MgCertificateTests
{
    [Fact]
    public void A_generated_ecdsa_certificate_is_self_signed_p256_and_its_fingerprint_is_the_der_hash()
    {
        var certificate = MgCertificate.GenerateSelfSigned();
        using var x509 = X509CertificateLoader.LoadCertificate(certificate.Der);
        Assert.Equal(x509.Subject, x509.Issuer);
        using var key = x509.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        Assert.Equal(x509.GetCertHash(HashAlgorithmName.SHA256), certificate.Fingerprint().Value.ToArray());
        Assert.True(x509.NotAfter > DateTime.Now.AddDays(29));
    }

    [Fact]
    public void A_generated_rsa_certificate_has_a_2048_bit_key()
    {
        var certificate = MgCertificate.GenerateSelfSigned(MgKeyType.Rsa);
        using var x509 = X509CertificateLoader.LoadCertificate(certificate.Der);
        using var key = x509.GetRSAPublicKey();
        Assert.Equal(2048, key!.KeySize);
        Assert.Equal(MgKeyType.Rsa, certificate.KeyType);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pem_certificate_and_pkcs8_key_load(bool rsa)
    {
        using var ue = UeCertificate.Create(rsa);
        var certificate = MgCertificate.LoadPem(ue.CertPath, ue.KeyPath);
        Assert.Equal(rsa ? MgKeyType.Rsa : MgKeyType.EcdsaP256, certificate.KeyType);
        Assert.Equal(TlsFingerprint.Compute(FingerprintHash.Sha256, ue.Der), certificate.Fingerprint());
    }

    [Fact]
    public void A_key_of_another_certificate_or_curve_is_refused()
    {
        using var one = UeCertificate.Create();
        using var two = UeCertificate.Create();
        Assert.Throws<FormatException>(() => MgCertificate.LoadPem(one.CertPath, two.KeyPath));
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var request = new CertificateRequest("CN=x", p384, HashAlgorithmName.SHA384);
        using var x509 = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Throws<FormatException>(() => MgCertificate.FromPem(x509.ExportCertificatePem(), p384.ExportPkcs8PrivateKeyPem()));
        Assert.Throws<FormatException>(() => MgCertificate.FromPem("not pem", "not pem"));
    }

    [Fact]
    public void The_text_form_names_the_fingerprint_and_never_the_key()
    {
        using var ue = UeCertificate.Create();
        var certificate = MgCertificate.LoadPem(ue.CertPath, ue.KeyPath);
        var keyBody = string.Concat(File.ReadAllLines(ue.KeyPath).Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));
        var text = certificate.ToString();
        Assert.Contains(certificate.Fingerprint().ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(keyBody[..16], text, StringComparison.Ordinal);
        var psk = new TlsPsk("alice", Convert.FromHexString("00112233445566778899AABBCCDDEEFF"));
        Assert.Equal("PSK identity alice", psk.ToString());
    }

    [Fact]
    public void A_per_session_source_generates_a_certificate_each_time_a_shared_one_does_not()
    {
        var perSession = MgCertificateSource.PerSession();
        Assert.NotEqual(perSession.ForSession().Fingerprint(), perSession.ForSession().Fingerprint());
        var shared = MgCertificateSource.GeneratedAtStart();
        Assert.Same(shared.ForSession(), shared.ForSession());
    }

    [Fact]
    public void Options_that_cannot_authenticate_are_refused_at_configuration()
    {
        var certificate = MgCertificate.GenerateSelfSigned();
        Assert.Throws<ArgumentException>(() => new TlsEndpointOptions { Role = TlsRole.Server, Certificate = certificate }.Validate());
        Assert.Throws<ArgumentException>(() => new TlsEndpointOptions { Role = TlsRole.Server, RemoteFingerprints = [certificate.Fingerprint()] }.Validate());
        Assert.Throws<ArgumentException>(() => new TlsEndpointOptions
        {
            Role = TlsRole.Client,
            Psk = new TlsPsk("a", [1]),
            MinVersion = TlsVersion.Tls13,
            MaxVersion = TlsVersion.Tls12,
        }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlsPsk("a", new byte[TlsPsk.MaxKeyLength + 1]));
        new TlsEndpointOptions { Role = TlsRole.Client, Psk = new TlsPsk("a", [1]) }.Validate();
    }
}
