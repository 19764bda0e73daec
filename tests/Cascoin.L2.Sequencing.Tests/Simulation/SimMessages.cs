using Cascoin.L2.Primitives;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Sequencing.Consensus.Bft;

namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>What travels between simulated nodes: (height, sender, payload). The sender of a signed payload is its signer (the host checked the signature).</summary>
internal sealed record SimMessage(ulong Height, Address Sender, Payload Payload);

internal abstract record Payload;

/// <summary>A signed proposal (step <see cref="VoteStep.Proposal"/>).</summary>
internal sealed record ProposalPayload(int Round, int PolRound, Hash256 Block) : Payload;

/// <summary>A signed prevote or precommit; a null block is nil.</summary>
internal sealed record VotePayload(int Round, VoteStep Step, Hash256? Block) : Payload;

/// <summary>"This height is decided": the block, the round and the precommit voters (a commit certificate, checked against the global log of signatures).</summary>
internal sealed record DecidedPayload(int Round, Hash256 Block, IReadOnlyList<Address> Voters) : Payload;

/// <summary>A decision a node took (persisted): by its own state machine or by a certificate a peer sent.</summary>
internal sealed record Commit(ulong Height, int Round, Hash256 Block, IReadOnlyList<Address> Voters, long Time, bool ByCertificate);

/// <summary>Everything that happens in a simulation, in virtual time; the trace keeps the last ones.</summary>
internal abstract record SimEvent;

internal sealed record Delivery(int To, int From, SimMessage Message) : SimEvent;

internal sealed record TimerFired(int Node, int Incarnation, ulong Height, RoundStep Step, int Round) : SimEvent;

internal sealed record BlockReady(int Node, int Incarnation, ulong Height, int Round, Hash256 Block) : SimEvent;

internal sealed record ResendTick(int Node, int Incarnation) : SimEvent;

internal sealed record ByzantineTick(int Node) : SimEvent;

internal sealed record CrashNode(int Node) : SimEvent;

internal sealed record RestartNode(int Node) : SimEvent;

internal sealed record PartitionChange : SimEvent;

internal sealed record GlobalStabilization : SimEvent;

/// <summary>Trace only: a node signed (and sent) a message.</summary>
internal sealed record SignedNote(int Node, ulong Height, int Round, VoteStep Step, Hash256? Block, bool Honest) : SimEvent;

/// <summary>Trace only: a node decided a height.</summary>
internal sealed record DecidedNote(int Node, Commit Commit) : SimEvent;

/// <summary>Trace only: the network split the nodes (null: healed).</summary>
internal sealed record PartitionNote(string Sides) : SimEvent;
