using System.Buffers;
using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace Megaco.Mg.Tls;

/// <summary>
/// AES-GCM for BouncyCastle's record layer by .NET's <see cref="AesGcm"/> (OpenSSL underneath, AES-NI and
/// carry-less multiply), which costs a fraction of BouncyCastle's managed GCM per byte. One instance per
/// direction; BouncyCastle calls <see cref="Init"/> with each record's nonce and additional data.
/// </summary>
internal sealed class DotNetAesGcm(bool encrypt) : TlsAeadCipherImpl
{
    private AesGcm? _aes;
    private byte[] _nonce = [];
    private byte[]? _additionalData;
    private int _macSize;

    public void SetKey(byte[] key, int keyOff, int keyLen) => SetKey(key.AsSpan(keyOff, keyLen));

    public void SetKey(ReadOnlySpan<byte> key)
    {
        _aes?.Dispose();
        // RFC 5288 §3 / RFC 8446 §5.3: a 16-octet tag.
        _aes = new AesGcm(key, 16);
    }

    public void Init(byte[] nonce, int macSize, byte[] additionalData)
    {
        if (macSize != 16)
        {
            throw new TlsFatalAlert(AlertDescription.internal_error, "AES-GCM with a truncated tag");
        }
        _nonce = nonce;
        _macSize = macSize;
        _additionalData = additionalData;
    }

    public int GetOutputSize(int inputLength) => encrypt ? inputLength + _macSize : Math.Max(0, inputLength - _macSize);

    public int DoFinal(byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset) =>
        DoFinal(null, input, inputOffset, inputLength, output, outputOffset);

    public int DoFinal(byte[]? additionalData, byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset)
    {
        var aes = _aes ?? throw new TlsFatalAlert(AlertDescription.internal_error, "AES-GCM without a key");
        // BouncyCastle's own implementation takes the Init data first, then this call's.
        var aad = Concat(_additionalData, additionalData);
        byte[]? copy = null;
        var source = input.AsSpan(inputOffset, inputLength);
        if (ReferenceEquals(input, output) && inputOffset != outputOffset)
        {
            // AesGcm accepts in-place but not shifted overlap (TLS 1.2 decrypts over its explicit nonce).
            copy = ArrayPool<byte>.Shared.Rent(inputLength);
            source.CopyTo(copy);
            source = copy.AsSpan(0, inputLength);
        }
        try
        {
            if (encrypt)
            {
                aes.Encrypt(_nonce, source, output.AsSpan(outputOffset, inputLength), output.AsSpan(outputOffset + inputLength, _macSize), aad);
                return inputLength + _macSize;
            }
            var length = inputLength - _macSize;
            if (length < 0)
            {
                throw new TlsFatalAlert(AlertDescription.bad_record_mac);
            }
            aes.Decrypt(_nonce, source[..length], source[length..], output.AsSpan(outputOffset, length), aad);
            return length;
        }
        catch (CryptographicException e)
        {
            // RFC 8446 §5.2: a record that does not authenticate.
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
        }
        finally
        {
            if (copy is not null)
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
    }

    public void Reset()
    {
    }

    private static byte[] Concat(byte[]? first, byte[]? second)
    {
        if (second is null || second.Length == 0)
        {
            return first ?? [];
        }
        if (first is null || first.Length == 0)
        {
            return second;
        }
        return [.. first, .. second];
    }
}
