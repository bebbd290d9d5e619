using Org.BouncyCastle.Tls;

namespace Megaco.Mg.Tls;

/// <summary>
/// Which cipher suites a termination offers, in preference order; values are the IANA TLS cipher suite
/// numbers (<see cref="CipherSuite"/>). The default is AEAD only with forward secrecy first: TLS 1.3 suites,
/// ECDHE with AES-GCM or ChaCha20-Poly1305 for certificates, and for PSK ECDHE_PSK, then DHE_PSK, then plain
/// PSK (no forward secrecy, kept for UEs without (EC)DHE-PSK).
/// </summary>
public sealed class TlsCipherPolicy
{
    public static readonly TlsCipherPolicy Default = new(
        tls13:
        [
            CipherSuite.TLS_AES_256_GCM_SHA384,
            CipherSuite.TLS_AES_128_GCM_SHA256,
            CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        ],
        tls12Certificate:
        [
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ],
        tls12Psk:
        [
            CipherSuite.TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_DHE_PSK_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_DHE_PSK_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_DHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_PSK_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_PSK_WITH_CHACHA20_POLY1305_SHA256,
        ]);

    public TlsCipherPolicy(IReadOnlyList<int> tls13, IReadOnlyList<int> tls12Certificate, IReadOnlyList<int> tls12Psk)
    {
        ArgumentNullException.ThrowIfNull(tls13);
        ArgumentNullException.ThrowIfNull(tls12Certificate);
        ArgumentNullException.ThrowIfNull(tls12Psk);
        if (tls13.Count == 0)
        {
            throw new ArgumentException("TLS 1.3 needs at least one cipher suite", nameof(tls13));
        }
        Tls13 = tls13.ToArray();
        Tls12Certificate = tls12Certificate.ToArray();
        Tls12Psk = tls12Psk.ToArray();
    }

    public IReadOnlyList<int> Tls13 { get; }

    /// <summary>Certificate suites; only those matching the certificate's key (ECDSA or RSA) are offered.</summary>
    public IReadOnlyList<int> Tls12Certificate { get; }

    public IReadOnlyList<int> Tls12Psk { get; }

    /// <summary>The suites to offer for one session, newest protocol first.</summary>
    internal int[] Offer(TlsVersion min, bool psk, MgKeyType? keyType)
    {
        // RFC 8446 §4.2.11: a PSK is used only with suites of its hash; external PSKs here are SHA-256 ones
        // (BouncyCastle's and OpenSSL's default), so a PSK session leaves out the SHA-384 suites.
        var suites = new List<int>(psk ? Tls13.Where(suite => Name(suite).EndsWith("_SHA256", StringComparison.Ordinal)) : Tls13);
        if (min == TlsVersion.Tls12)
        {
            if (psk)
            {
                suites.AddRange(Tls12Psk);
            }
            else
            {
                var signature = keyType == MgKeyType.Rsa ? KeyExchangeAlgorithm.ECDHE_RSA : KeyExchangeAlgorithm.ECDHE_ECDSA;
                suites.AddRange(Tls12Certificate.Where(suite => TlsUtilities.GetKeyExchangeAlgorithm(suite) == signature));
            }
        }
        return suites.ToArray();
    }

    /// <summary>The IANA name of a cipher suite, e.g. <c>TLS_AES_256_GCM_SHA384</c> (what tlsx/est's cs reports).</summary>
    public static string Name(int cipherSuite) =>
        CipherSuiteNames.Value.TryGetValue(cipherSuite, out var name) ? name : $"0x{cipherSuite:X4}";

    private static readonly Lazy<Dictionary<int, string>> CipherSuiteNames = new(() =>
        typeof(CipherSuite).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(int) && field.Name.StartsWith("TLS_", StringComparison.Ordinal))
            .GroupBy(field => (int)field.GetRawConstantValue()!)
            .ToDictionary(group => group.Key, group => group.First().Name));
}
