using System.Runtime.InteropServices;

namespace Megaco.Mg.Tls;

/// <summary>
/// The few OpenSSL 3 EVP calls X25519 needs (<see cref="OpenSslX25519"/>), which .NET's crypto does not expose.
/// Linux only, and only where libcrypto.so.3 loads; elsewhere BouncyCastle's X25519 serves.
/// </summary>
internal static class LibCrypto
{
    private const string Library = "libcrypto.so.3";

    /// <summary>NID_X25519 / EVP_PKEY_X25519 (OpenSSL obj_mac.h).</summary>
    public const int X25519 = 1034;

    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && NativeLibrary.TryLoad(Library, out _);

    [DllImport(Library)]
    public static extern nint EVP_PKEY_CTX_new_id(int id, nint engine);

    [DllImport(Library)]
    public static extern nint EVP_PKEY_CTX_new(SafeEvpPKey key, nint engine);

    [DllImport(Library)]
    public static extern void EVP_PKEY_CTX_free(nint context);

    [DllImport(Library)]
    public static extern int EVP_PKEY_keygen_init(nint context);

    [DllImport(Library)]
    public static extern int EVP_PKEY_keygen(nint context, out SafeEvpPKey key);

    [DllImport(Library)]
    public static extern int EVP_PKEY_get_raw_public_key(SafeEvpPKey key, [Out] byte[] publicKey, ref nuint length);

    [DllImport(Library)]
    public static extern SafeEvpPKey EVP_PKEY_new_raw_public_key(int type, nint engine, [In] byte[] publicKey, nuint length);

    [DllImport(Library)]
    public static extern int EVP_PKEY_derive_init(nint context);

    [DllImport(Library)]
    public static extern int EVP_PKEY_derive_set_peer(nint context, SafeEvpPKey peer);

    [DllImport(Library)]
    public static extern int EVP_PKEY_derive(nint context, [Out] byte[] secret, ref nuint length);

    [DllImport(Library)]
    public static extern void EVP_PKEY_free(nint key);

    [DllImport(Library)]
    public static extern void ERR_clear_error();
}
