using Megaco.Mgc.Gateway;
using Megaco.Protocol.Model;
using Megaco.Protocol.Text;
using Megaco.Protocol.Transactions;

namespace Megaco.Mgc.Tests.Fakes;

/// <summary>
/// An <see cref="IMediaGatewayChannel"/> that records every request as the pretty H.248 text it would be on the
/// wire (and checks that the text reads back to the same model), and answers from a <see cref="FakeMgEngine"/>,
/// unless a transport failure or a transaction error is scripted.
/// </summary>
internal sealed class RecordingGateway : IMediaGatewayChannel
{
    private readonly Lock _gate = new();
    private readonly Queue<TransactionReply?> _scripted = new();
    private uint _nextTransaction = 1;

    public FakeMgEngine Engine { get; } = new();

    public int Version => 3;

    public List<ActionRequest> Requests { get; } = [];

    public List<string> Texts { get; } = [];

    public string LastText => Texts[^1];

    /// <summary>Changes each reply before the MGC sees it (an MG that breaks the profile).</summary>
    public Func<ActionReply, ActionReply>? Tamper { get; set; }

    /// <summary>The next request gets no reply: the channel reports a timeout.</summary>
    public void TimeOutNext() => _scripted.Enqueue(null);

    /// <summary>The next request is answered with a transaction-level error.</summary>
    public void RefuseNext(ushort code, string text) => _scripted.Enqueue(new TransactionReply(0, [], new ErrorDescriptor(code, text)));

    /// <summary>How long each request takes to answer, so that concurrent callers overlap.</summary>
    public TimeSpan Delay { get; set; }

    public async Task<TransactionResult> SendRequestAsync(ValueList<ActionRequest> actions, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }
        lock (_gate)
        {
            return Answer(actions);
        }
    }

    private TransactionResult Answer(ValueList<ActionRequest> actions)
    {
        var id = _nextTransaction++;
        var message = new MegacoMessage(Version, MId.IPv4("127.0.0.1", 2945), [new TransactionRequest(id, actions)]);
        var text = MegacoTextWriter.ToText(message, TextStyle.Pretty);
        var reread = MegacoTextReader.Default.Read(text);
        Assert.True(reread.IsSuccess, "the MGC sent what does not read back: " + reread.FirstError + "\n" + text);
        Assert.Equal(message, reread.Message);
        Requests.AddRange(actions);
        Texts.Add(text);
        if (_scripted.TryDequeue(out var scripted))
        {
            return scripted is null
                ? new TransactionResult(id, null, TransactionFailure.Timeout)
                : new TransactionResult(id, scripted with { TransactionId = id }, TransactionFailure.None);
        }
        var replies = new List<ActionReply>();
        foreach (var action in actions)
        {
            var reply = Engine.Execute(action);
            replies.Add(Tamper is null ? reply : Tamper(reply));
        }
        return new TransactionResult(id, new TransactionReply(id, new ValueList<ActionReply>(replies)), TransactionFailure.None);
    }
}
