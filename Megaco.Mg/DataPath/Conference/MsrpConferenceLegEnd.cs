using Megaco.Mg.DataPath.Msrp;

namespace Megaco.Mg.DataPath.Conference;

/// <summary>Why a participant left; <see cref="Error"/> is set for <see cref="MsrpConferenceLegEndReason.FramingError"/>.</summary>
public readonly record struct MsrpConferenceLegEnd(string LegId, MsrpConferenceLegEndReason Reason, MsrpFramingError Error = default);
