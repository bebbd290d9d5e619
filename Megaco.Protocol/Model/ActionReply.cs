namespace Megaco.Protocol.Model;

/// <summary>
/// <c>Context = id [{ errorDescriptor / commandReply *(, commandReply) [, errorDescriptor] }]</c>
/// (H.248.1 Annex B actionReply). Context properties in the reply go to <see cref="ContextReply"/>.
/// </summary>
public sealed record ActionReply(
    ContextId ContextId,
    ValueList<CommandReply> Commands,
    ErrorDescriptor? Error = null,
    ContextRequest? ContextReply = null);
