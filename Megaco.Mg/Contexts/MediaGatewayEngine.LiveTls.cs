using System.Security.Cryptography;
using Megaco.Mg.Tls;
using Megaco.Protocol.Errors;

namespace Megaco.Mg.Contexts;

/// <summary>
/// TLS parameters changed by a Modify on a leg whose session is up. The MG never re-handshakes a live session
/// (renegotiation is refused, RFC 5746 aside, and TLS 1.3 has none, RFC 8446 §4.1.2), so a Modify may restate
/// the session's parameters or change them in ways it still satisfies (another Remote fingerprint list that
/// still holds the verified one, a minimum version the session meets, the hash the MG's fingerprint is reported
/// in); one the live session no longer satisfies is refused with 501 and changes nothing: the MGC subtracts
/// the termination and adds a new one to change a leg's security.
/// </summary>
public sealed partial class MediaGatewayEngine
{
    private static void CheckLiveTls(MgTermination? existing, RequestedChanges changes)
    {
        if (existing?.Tls is not { } live || (changes.Media is null && changes.Psk is null && changes.MinVersion is null))
        {
            return;
        }
        var media = changes.Media ?? existing.Media;
        var psk = changes.Psk ?? existing.Psk;
        var minimum = changes.MinVersion ?? existing.MinVersion ?? TlsVersion.Tls12;
        var satisfied = media is { LocalMedia.IsTls: true } && live.Version >= minimum && live.MatchedFingerprint switch
        {
            { } verified => psk is null && media.OwnFingerprintHash is not null && media.RemoteFingerprints.Contains(verified),
            null => psk is not null && existing.Psk is { } used && SamePsk(psk, used),
        };
        if (!satisfied)
        {
            CommandFailedException.Throw(H248ErrorCode.NotImplemented,
                "the TLS session of " + existing.Id + " is established: changing its TLS parameters (protocol, PSK, verified fingerprint, minimum version) needs a new termination");
        }
    }

    private static bool SamePsk(TlsPsk a, TlsPsk b) =>
        a == b || (a.Identity.SequenceEqual(b.Identity) && CryptographicOperations.FixedTimeEquals(a.KeyArray, b.KeyArray));
}
