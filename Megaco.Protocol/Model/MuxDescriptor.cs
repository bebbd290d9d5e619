namespace Megaco.Protocol.Model;

/// <summary><c>Mux = type { terminationID *(, terminationID) }</c> (H.248.1 §7.1.3); type is H221, H223, H226, V76, Nx64K or an extension.</summary>
public sealed record MuxDescriptor(string MuxType, ValueList<TerminationId> TerminationIds) : Descriptor;
