using Cascoin.L2.Primitives;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Sequencing.Consensus.Bft;

namespace Cascoin.L2.Sequencing.Tests.Simulation;

/// <summary>
/// Every message any node signed, honest or not. It stands in for signature verification (a
/// commit certificate is good only if each voter really signed that precommit) and is where the
/// signing-state rule is checked: an honest node never signs two different blocks for one
/// (height, round, step), across restarts included.
/// </summary>
internal sealed class SignatureLog
{
    private readonly Dictionary<(ulong Height, int Node, int Round, VoteStep Step), Hash256?> _honest = [];
    private readonly Dictionary<(ulong Height, int Round, Hash256 Block), List<Address>> _precommits = [];
    private readonly Dictionary<(ulong Height, int Round), List<Hash256>> _proposals = [];
    private readonly Dictionary<ulong, int> _maxRound = [];

    public long Count { get; private set; }

    /// <summary>Records a signed message; returns a description of the violation when an honest node contradicts what it signed before.</summary>
    public string? Record(ulong height, int node, Address signer, bool honest, int round, VoteStep step, Hash256? block)
    {
        Count++;
        if (round >= 0 && round > _maxRound.GetValueOrDefault(height, -1))
            _maxRound[height] = round;
        if (step == VoteStep.Precommit && block is { } precommitted)
        {
            if (!_precommits.TryGetValue((height, round, precommitted), out var voters))
                _precommits[(height, round, precommitted)] = voters = [];
            if (!voters.Contains(signer))
                voters.Add(signer);
        }
        if (step == VoteStep.Proposal && block is { } proposed)
        {
            if (!_proposals.TryGetValue((height, round), out var blocks))
                _proposals[(height, round)] = blocks = [];
            if (!blocks.Contains(proposed))
                blocks.Add(proposed);
        }
        if (!honest)
            return null;
        if (_honest.TryGetValue((height, node, round, step), out var earlier))
        {
            return earlier == block
                ? null
                : $"signing-state rule broken: honest n{node} signed {step} at height {height} round {round} for {Short(earlier)} and then for {Short(block)}";
        }
        _honest[(height, node, round, step)] = block;
        return null;
    }

    public IReadOnlyList<Address> PrecommittersOf(ulong height, int round, Hash256 block) =>
        _precommits.TryGetValue((height, round, block), out var voters) ? voters : [];

    public IReadOnlyList<Hash256> ProposalsAt(ulong height, int round) =>
        _proposals.TryGetValue((height, round), out var blocks) ? blocks : [];

    public int MaxRound(ulong height) => _maxRound.GetValueOrDefault(height, -1);

    public static string Short(Hash256? block) => block is { } hash ? hash.ToString()[..8] : "nil";
}

/// <summary>
/// The values of the run: what proposers built, per height. Validity is a property of the value
/// (every honest node agrees): a value is valid iff some proposer built it for that height.
/// </summary>
internal sealed class ValueBook(Random random)
{
    private readonly HashSet<(ulong Height, Hash256 Block)> _valid = [];

    public int Built => _valid.Count;

    public Hash256 Build(ulong height)
    {
        var block = Fresh();
        _valid.Add((height, block));
        return block;
    }

    /// <summary>A value no honest node will accept (a Byzantine proposer's bad block, or junk).</summary>
    public Hash256 Invalid() => Fresh();

    public bool IsValid(ulong height, Hash256 block) => _valid.Contains((height, block));

    private Hash256 Fresh()
    {
        Span<byte> bytes = stackalloc byte[Hash256.Size];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
