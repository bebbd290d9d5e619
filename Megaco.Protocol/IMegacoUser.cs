using Megaco.Protocol.Transactions;

namespace Megaco.Protocol;

/// <summary>
/// What the application behind a <see cref="TransactionManager"/> implements (the role of Erlang/OTP
/// megaco's <c>megaco_user</c> behaviour): execute a request's actions, and hear what happens on the
/// association. The user never sees wire messages, retransmissions, Pendings or acks.
/// </summary>
public interface IMegacoUser
{
    /// <summary>
    /// Executes one transaction request and returns its reply. Called at most once per request, however often
    /// the peer retransmits it. When the manager gives up on it (the pending limit was exceeded) the token is
    /// cancelled and whatever is returned is discarded. An exception becomes error 500 to the peer.
    /// </summary>
    ValueTask<TransactionAnswer> HandleRequestAsync(IncomingRequest request, CancellationToken cancellationToken);

    /// <summary>Something the user may want to know: a peer sent garbage, a send failed, a peer refused a message.</summary>
    ValueTask OnEventAsync(MegacoEvent megacoEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
