namespace Megaco.Mg.Control;

/// <summary>The profile the MG offers and validates with, bound from the "Profile" configuration section.</summary>
public sealed class ProfileOptions
{
    public const string Section = "Profile";

    /// <summary>The profile file name under the profile directory: iq (TS 29.334), ix (TS 29.238) or mp (TS 29.333).</summary>
    public string Name { get; set; } = "iq";

    /// <summary>The directory holding <c>packages/</c> and the profile files; by default the <c>profiles/</c> copied beside the executable.</summary>
    public string? Directory { get; set; }
}
