using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain;

/// <summary>One funded account of the genesis state.</summary>
public sealed record GenesisAllocation(Address Address, Amount Balance, byte HatScore = 0);

/// <summary>The genesis block's content: its timestamp (ms since the epoch) and the funded accounts.</summary>
public sealed record GenesisSpec(ulong Timestamp, IReadOnlyList<GenesisAllocation> Allocations);
