using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Megaco.Mg.Tls;

/// <summary>
/// One X25519 (RFC 7748 §6.1) key exchange of a TLS handshake (RFC 8446 §4.2.8.2, RFC 8422 §5.11) by OpenSSL:
/// the group OpenSSL-based peers put first, where BouncyCastle's managed scalar multiplications cost a few
/// hundred microseconds each. The ephemeral private key stays inside OpenSSL and is freed with the handle.
/// </summary>
internal sealed class OpenSslX25519(BcTlsCrypto crypto) : TlsAgreement
{
    private const int KeySize = 32;

    private SafeEvpPKey? _key;
    private SafeEvpPKey? _peer;

    public byte[] GenerateEphemeral()
    {
        var context = LibCrypto.EVP_PKEY_CTX_new_id(LibCrypto.X25519, 0);
        if (context == 0)
        {
            throw Failed(AlertDescription.internal_error);
        }
        try
        {
            if (LibCrypto.EVP_PKEY_keygen_init(context) != 1 || LibCrypto.EVP_PKEY_keygen(context, out var key) != 1)
            {
                throw Failed(AlertDescription.internal_error);
            }
            _key = key;
        }
        finally
        {
            LibCrypto.EVP_PKEY_CTX_free(context);
        }
        var publicKey = new byte[KeySize];
        nuint length = KeySize;
        if (LibCrypto.EVP_PKEY_get_raw_public_key(_key, publicKey, ref length) != 1 || length != KeySize)
        {
            throw Failed(AlertDescription.internal_error);
        }
        return publicKey;
    }

    public void ReceivePeerValue(byte[] peerValue)
    {
        // RFC 8446 §4.2.8.2: the peer's share is exactly 32 octets.
        if (peerValue is not { Length: KeySize })
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "X25519 share of the wrong length");
        }
        _peer = LibCrypto.EVP_PKEY_new_raw_public_key(LibCrypto.X25519, 0, peerValue, KeySize);
        if (_peer.IsInvalid)
        {
            throw Failed(AlertDescription.illegal_parameter);
        }
    }

    public TlsSecret CalculateSecret()
    {
        if (_key is null || _peer is null)
        {
            throw new TlsFatalAlert(AlertDescription.internal_error, "X25519 without both shares");
        }
        using (_key)
        using (_peer)
        {
            var context = LibCrypto.EVP_PKEY_CTX_new(_key, 0);
            if (context == 0)
            {
                throw Failed(AlertDescription.internal_error);
            }
            try
            {
                var secret = new byte[KeySize];
                nuint length = KeySize;
                // RFC 7748 §6.1 / RFC 8446 §7.4.2: an all-zero result (a small-order peer point) is refused;
                // OpenSSL's derive fails on it.
                if (LibCrypto.EVP_PKEY_derive_init(context) != 1 || LibCrypto.EVP_PKEY_derive_set_peer(context, _peer) != 1
                    || LibCrypto.EVP_PKEY_derive(context, secret, ref length) != 1 || length != KeySize)
                {
                    throw Failed(AlertDescription.illegal_parameter);
                }
                var adopted = crypto.CreateSecret(secret);
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
                return adopted;
            }
            finally
            {
                LibCrypto.EVP_PKEY_CTX_free(context);
            }
        }
    }

    private static TlsFatalAlert Failed(short alert)
    {
        LibCrypto.ERR_clear_error();
        return new TlsFatalAlert(alert, "X25519 by OpenSSL failed");
    }
}
