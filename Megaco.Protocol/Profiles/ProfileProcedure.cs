namespace Megaco.Protocol.Profiles;

/// <summary>A procedure of the profile and whether this product implements it yet.</summary>
public sealed record ProfileProcedure(string Name, string Source, bool Supported, string? Note = null);
