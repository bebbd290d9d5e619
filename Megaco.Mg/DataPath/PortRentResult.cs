using System.Diagnostics.CodeAnalysis;

namespace Megaco.Mg.DataPath;

/// <summary>The outcome of <see cref="BearerPortPool.Rent"/>: a lease, or exhaustion.</summary>
public readonly record struct PortRentResult(PortRentStatus Status, BearerPortLease? Lease)
{
    [MemberNotNullWhen(true, nameof(Lease))]
    public bool IsRented => Status == PortRentStatus.Rented && Lease is not null;
}
