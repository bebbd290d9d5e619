namespace Megaco.Mgc.Sessions;

public enum MsrpSessionState : byte
{
    /// <summary>No offer yet; nothing on the MG.</summary>
    Idle,

    /// <summary>An offer went on; the context exists; the answer is awaited.</summary>
    AwaitingAnswer,

    /// <summary>Offer and answer done; media may flow. A new offer (re-INVITE) is accepted.</summary>
    Established,

    /// <summary>Released (or the MG lost the context); every call now fails with InvalidState.</summary>
    Released,
}
