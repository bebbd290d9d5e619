namespace Megaco.Protocol.Model;

/// <summary>
/// <c>Context = id { [contextRequest ,] [contextAudit ,] command *(, command) }</c>
/// (H.248.1 Annex B actionRequest; v3 allows a context request with no commands).
/// </summary>
public sealed record ActionRequest(
    ContextId ContextId,
    ValueList<CommandRequest> Commands,
    ContextRequest? ContextRequest = null,
    ContextAttrAuditRequest? ContextAudit = null);
