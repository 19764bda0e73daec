using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Consensus.Bft;

/// <summary>
/// The prevotes or precommits of one round, weighted as Algorithm 1 counts them: each voter counts
/// once toward "any vote" and once toward every value it signed. An equivocator that signed two
/// values counts for both (it may be what completed another node's proof-of-lock-change), which
/// stays safe: two different values with more than 2/3 each would need a sequencer that follows
/// the rules to have signed both.
/// </summary>
internal sealed class StepTally
{
    private readonly HashSet<Address> _voters = [];
    private readonly HashSet<(Address Voter, Hash256? Block)> _votes = [];
    private readonly Dictionary<Hash256, UInt128> _forBlock = [];

    public UInt128 Any { get; private set; }

    public UInt128 Nil { get; private set; }

    public IEnumerable<KeyValuePair<Hash256, UInt128>> Blocks => _forBlock;

    /// <summary>Counts the vote; false when this voter's vote for this value was counted already.</summary>
    public bool Add(Address voter, Hash256? block, UInt128 weight)
    {
        if (!_votes.Add((voter, block)))
            return false;
        if (_voters.Add(voter))
            Any += weight;
        if (block is { } hash)
            _forBlock[hash] = _forBlock.GetValueOrDefault(hash) + weight;
        else
            Nil += weight;
        return true;
    }

    public UInt128 For(Hash256 block) => _forBlock.GetValueOrDefault(block);

    public bool HasVoted(Address voter) => _voters.Contains(voter);

    public IEnumerable<Address> VotersFor(Hash256? block) => _votes.Where(v => v.Block == block).Select(v => v.Voter);

    /// <summary>What <paramref name="voter"/> voted (its only vote when it follows the rules).</summary>
    public Hash256? VoteOf(Address voter) => _votes.First(v => v.Voter == voter).Block;
}
