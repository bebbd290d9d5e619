using System.Globalization;
using Megaco.Protocol.Model;

namespace Megaco.Mg.Contexts;

/// <summary>
/// The contexts and terminations of the MG, with their identifiers: context ids 1, 2, … chosen for <c>$</c>
/// (never 0, 0xFFFFFFFE or 0xFFFFFFFF, H.248.1 §6.1.1), termination ids <c>msrp/N</c> never reused while the
/// MG runs (the Iq control contract). Touched only under the engine's lock.
/// </summary>
internal sealed class ContextTable(int maxContexts)
{
    public const string TerminationPrefix = "msrp/";

    private readonly Dictionary<uint, MgContext> _contexts = [];
    private readonly Dictionary<string, MgTermination> _terminations = new(StringComparer.OrdinalIgnoreCase);
    private uint _nextContext = 1;
    private ulong _nextTermination = 1;

    public int ContextCount => _contexts.Count;

    public int TerminationCount => _terminations.Count;

    public IEnumerable<MgContext> Contexts => _contexts.Values;

    public bool TryCreate(out MgContext? context)
    {
        context = null;
        if (_contexts.Count >= maxContexts)
        {
            return false;
        }
        // Next free id after the last one handed out, skipping the reserved values.
        while (_contexts.ContainsKey(_nextContext) || _nextContext is 0 or >= 0xFFFFFFFE)
        {
            _nextContext = _nextContext >= 0xFFFFFFFD ? 1 : _nextContext + 1;
        }
        context = new MgContext(new ContextId(_nextContext));
        _contexts.Add(_nextContext, context);
        _nextContext = _nextContext >= 0xFFFFFFFD ? 1 : _nextContext + 1;
        return true;
    }

    public MgContext? Find(ContextId id) => _contexts.GetValueOrDefault(id.Value);

    public void Remove(MgContext context) => _contexts.Remove(context.Id.Value);

    public MgTermination? FindTermination(TerminationId id) => _terminations.GetValueOrDefault(id.Text);

    public TerminationId NextTerminationId() =>
        new(TerminationPrefix + (_nextTermination++).ToString(CultureInfo.InvariantCulture));

    public void Register(MgTermination termination) => _terminations.Add(termination.Id.Text, termination);

    public void Unregister(MgTermination termination) => _terminations.Remove(termination.Id.Text);
}
