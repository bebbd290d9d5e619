namespace Megaco.Mg.Tls;

/// <summary>The key of the MG's own certificate.</summary>
public enum MgKeyType : byte
{
    /// <summary>ECDSA on P-256 (secp256r1) signing with SHA-256: the default, cheapest full handshake.</summary>
    EcdsaP256,

    /// <summary>RSA, 2048 bits when generated, signing with RSASSA-PSS (TLS 1.3) or PKCS#1 v1.5 (TLS 1.2).</summary>
    Rsa,
}
