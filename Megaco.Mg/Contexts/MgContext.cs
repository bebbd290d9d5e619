using Megaco.Mg.DataPath;
using Megaco.Protocol.Model;

namespace Megaco.Mg.Contexts;

/// <summary>
/// One context (H.248.1 §6.1): its terminations, topology, priority and emergency indication, and the relay
/// between its two terminations once both are connected. Touched only under the engine's lock.
/// </summary>
internal sealed class MgContext(ContextId id)
{
    /// <summary>Directions a topology triple closed: (from, to) pairs of termination ids. Absent = bothway (H.248.1 §7.1.18 default).</summary>
    private readonly HashSet<(string From, string To)> _blocked = new(PairComparer.Instance);

    public ContextId Id { get; } = id;

    public List<MgTermination> Terminations { get; } = new(2);

    public ushort? Priority { get; set; }

    public bool Emergency { get; set; }

    public Relay? Relay { get; set; }

    /// <summary>The MRFP bridge of this context's participants, from the first joined one until the context goes.</summary>
    public DataPath.Conference.MsrpConference? Conference { get; set; }

    public MgTermination? Find(TerminationId id)
    {
        foreach (var termination in Terminations)
        {
            if (string.Equals(termination.Id.Text, id.Text, StringComparison.OrdinalIgnoreCase))
            {
                return termination;
            }
        }
        return null;
    }

    /// <summary>H.248.1 §7.1.18: isolate closes both directions, oneway opens from→to only, bothway opens both.</summary>
    public void SetTopology(MgTermination from, MgTermination to, TopologyDirection direction)
    {
        Set(from, to, direction is TopologyDirection.Bothway or TopologyDirection.Oneway);
        Set(to, from, direction == TopologyDirection.Bothway);
    }

    /// <summary>A termination leaving the context takes its topology with it.</summary>
    public void Forget(MgTermination termination) =>
        _blocked.RemoveWhere(pair => Same(pair.From, termination) || Same(pair.To, termination));

    /// <summary>
    /// Whether bytes received from <paramref name="from"/>'s peer may go out to <paramref name="to"/>'s peer:
    /// the topology allows from→to, <paramref name="from"/> passes received media into the context and
    /// <paramref name="to"/> sends out of it (H.248.1 §7.1.7: send and receive are with respect to the
    /// exterior of the context), and both are in service.
    /// </summary>
    public bool MayFlow(MgTermination from, MgTermination to) =>
        !_blocked.Contains((from.Id.Text, to.Id.Text))
        && from.Mode is StreamMode.ReceiveOnly or StreamMode.SendReceive
        && to.Mode is StreamMode.SendOnly or StreamMode.SendReceive
        && from.ServiceState != ServiceState.OutOfService
        && to.ServiceState != ServiceState.OutOfService;

    /// <summary>The triples that differ from the bothway default, for a context audit.</summary>
    public IEnumerable<TopologyTriple> Topology()
    {
        for (var i = 0; i < Terminations.Count; i++)
        {
            for (var j = i + 1; j < Terminations.Count; j++)
            {
                var a = Terminations[i];
                var b = Terminations[j];
                var ab = !_blocked.Contains((a.Id.Text, b.Id.Text));
                var ba = !_blocked.Contains((b.Id.Text, a.Id.Text));
                if (ab && ba)
                {
                    continue;
                }
                yield return ab ? new TopologyTriple(a.Id, b.Id, TopologyDirection.Oneway)
                    : ba ? new TopologyTriple(b.Id, a.Id, TopologyDirection.Oneway)
                    : new TopologyTriple(a.Id, b.Id, TopologyDirection.Isolate);
            }
        }
    }

    private void Set(MgTermination from, MgTermination to, bool flows)
    {
        if (flows)
        {
            _blocked.Remove((from.Id.Text, to.Id.Text));
        }
        else
        {
            _blocked.Add((from.Id.Text, to.Id.Text));
        }
    }

    private static bool Same(string id, MgTermination termination) => string.Equals(id, termination.Id.Text, StringComparison.OrdinalIgnoreCase);

    private sealed class PairComparer : IEqualityComparer<(string From, string To)>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals((string From, string To) x, (string From, string To) y) =>
            string.Equals(x.From, y.From, StringComparison.OrdinalIgnoreCase) && string.Equals(x.To, y.To, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string From, string To) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.From), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.To));
    }
}
