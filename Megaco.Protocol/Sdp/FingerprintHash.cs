namespace Megaco.Protocol.Sdp;

/// <summary>
/// The hash functions an SDP <c>a=fingerprint</c> may name (RFC 8122 §5, IANA "Hash Function Textual
/// Names"); md2 and md5 are refused (RFC 8122 §5: MUST NOT be used). sha-1 stays for old UEs.
/// </summary>
public enum FingerprintHash : byte
{
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}
