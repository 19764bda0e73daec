namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>What the consensus engine has seen since the node started, read by the metrics endpoint.</summary>
public sealed class ConsensusCounters
{
    private long _proposals;
    private long _votes;
    private long _punished;

    /// <summary>Proposals received from peers or made here, for this chain.</summary>
    public long Proposals => Volatile.Read(ref _proposals);

    /// <summary>Prevotes and precommits received from peers or cast here, for this chain.</summary>
    public long Votes => Volatile.Read(ref _votes);

    /// <summary>Consensus messages that cost their sender peer score.</summary>
    public long Punished => Volatile.Read(ref _punished);

    internal void Proposal() => Interlocked.Increment(ref _proposals);

    internal void Vote() => Interlocked.Increment(ref _votes);

    internal void Punishment() => Interlocked.Increment(ref _punished);
}
