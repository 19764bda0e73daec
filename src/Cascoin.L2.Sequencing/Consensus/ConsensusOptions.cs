namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>Timing of the sequencer network (SPEC §7).</summary>
public sealed record ConsensusOptions
{
    /// <summary>The chain's block time: how often the engine looks at its mempool.</summary>
    public required TimeSpan BlockTime { get; init; }

    /// <summary>
    /// Silence after which the next sequencer in the slot's ranking claims the height (and each
    /// further timeout the one after). With several sequencers an idle leader sends an empty block
    /// every half timeout, so silence means failure.
    /// </summary>
    public TimeSpan LeaderTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A chain with a single sequencer has nobody to fail over to: idle, it sends an empty block this often.</summary>
    public TimeSpan SoloHeartbeat { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Fault injection (regtest -l2equivocate): when this node leads, it also seals and sends a second
    /// block at the same height, as a Byzantine sequencer would. Honest nodes must detect it and post
    /// the evidence that gets this node slashed.
    /// </summary>
    public bool Equivocate { get; init; }

    /// <summary>Votes one peer may send at once (then a quarter of this a second); the excess is dropped before any signature recovery.</summary>
    public int VoteFloodBurst { get; init; } = 8_000;

    /// <summary>The endpoint (host:port) announced in SEQANNOUNCE.</summary>
    public string Endpoint { get; init; } = "";

    /// <summary>How often this sequencer announces itself; also its liveness signal for the partition rule.</summary>
    public TimeSpan AnnouncementInterval => LeaderTimeout / 2;

    /// <summary>A sequencer not heard from for this long counts as unreachable.</summary>
    public TimeSpan ReachabilityWindow => AnnouncementInterval * 3;
}
