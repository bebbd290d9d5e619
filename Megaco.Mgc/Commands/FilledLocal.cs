using System.Net;
using Megaco.Protocol.Model;
using Megaco.Protocol.Sdp;

namespace Megaco.Mgc.Commands;

/// <summary>A termination's Local as the MG filled it (contract: the reply's Local carries the filled values).</summary>
internal sealed record FilledLocal(TerminationId Termination, MsrpMedia Media, ConnectionData Connection, IPAddress Address, int Port);
