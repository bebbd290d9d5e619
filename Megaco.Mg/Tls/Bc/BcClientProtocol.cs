using Org.BouncyCastle.Tls;

namespace Megaco.Mg.Tls;

/// <summary>
/// The client side of <see cref="BcServerProtocol"/>: the same half-close over BouncyCastle's non-blocking client protocol.
/// </summary>
internal sealed class BcClientProtocol : TlsClientProtocol, IBcProtocol
{
    public bool InputClosed { get; private set; }

    protected override void HandleAlertMessage(short alertLevel, short alertDescription)
    {
        if (alertDescription == AlertDescription.close_notify && !IsHandshaking)
        {
            InputClosed = true;
            return;
        }
        base.HandleAlertMessage(alertLevel, alertDescription);
    }

    public void SendCloseNotify() => RaiseAlertWarning(AlertDescription.close_notify, "closing");
}
