using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Consensus.Bft;

/// <summary>
/// The prevotes or precommits of one round, weighted: each voter counts once, with its first vote
/// (a second, conflicting one is the host's evidence, never a second count).
/// </summary>
internal sealed class StepTally
{
    private readonly Dictionary<Address, Hash256?> _votes = [];
    private readonly Dictionary<Hash256, UInt128> _forBlock = [];

    public UInt128 Any { get; private set; }

    public UInt128 Nil { get; private set; }

    public IEnumerable<KeyValuePair<Hash256, UInt128>> Blocks => _forBlock;

    /// <summary>Counts the vote; false when this voter has voted in this round and step already.</summary>
    public bool Add(Address voter, Hash256? block, UInt128 weight)
    {
        if (!_votes.TryAdd(voter, block))
            return false;
        Any += weight;
        if (block is { } hash)
            _forBlock[hash] = _forBlock.GetValueOrDefault(hash) + weight;
        else
            Nil += weight;
        return true;
    }

    public UInt128 For(Hash256 block) => _forBlock.GetValueOrDefault(block);

    public bool HasVoted(Address voter) => _votes.ContainsKey(voter);

    public IEnumerable<Address> VotersFor(Hash256? block) => _votes.Where(v => v.Value == block).Select(v => v.Key);
}
