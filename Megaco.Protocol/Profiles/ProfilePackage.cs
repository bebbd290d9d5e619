namespace Megaco.Protocol.Profiles;

/// <summary>A package a profile lists, at the version the profile names.</summary>
public sealed record ProfilePackage(string Name, ushort Version, PackageSupport Support, string? Note = null);
