using Org.BouncyCastle.Tls;

namespace Megaco.Mg.Tls;

/// <summary>
/// BouncyCastle's non-blocking server protocol with half-close: a close_notify from the peer ends only the
/// peer's direction (RFC 8446 §6.1) instead of closing the session and discarding what we still have to send.
/// </summary>
internal sealed class BcServerProtocol : TlsServerProtocol, IBcProtocol
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
