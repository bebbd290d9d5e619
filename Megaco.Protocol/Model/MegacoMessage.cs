namespace Megaco.Protocol.Model;

/// <summary>
/// A whole H.248 message (H.248.1 Annex A MegacoMessage; Annex B megacoMessage):
/// optional authentication header, version, sender's mId, and a body that is either a
/// list of transactions or a message-level error descriptor.
/// </summary>
public sealed record MegacoMessage(
    int Version,
    MId MId,
    ValueList<Transaction> Transactions,
    ErrorDescriptor? Error = null,
    AuthenticationHeader? Authentication = null)
{
    public static MegacoMessage WithError(int version, MId mid, ErrorDescriptor error) =>
        new(version, mid, ValueList<Transaction>.Empty, error);
}
