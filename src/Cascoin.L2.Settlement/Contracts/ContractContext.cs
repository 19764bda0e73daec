using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts;

/// <summary>What a system contract sees of the transaction calling it: the state, the block height, the sender and the transaction id.</summary>
public sealed record ContractContext(L1StateView State, SettlementParameters Parameters, ulong Height, Address Sender, Hash256 TransactionId)
{
    /// <summary>The blocks below <see cref="Height"/> (anchor certificates are checked against an earlier sequencer set and L1 hashes); null where no call needs them.</summary>
    public IL1History? History { get; init; }

    /// <summary>The L1 network (an L2 chain's consensus parameters follow from it and the chain id); null where no call needs it.</summary>
    public NetworkParameters? Network { get; init; }

    /// <summary>Debits the sender; false (and nothing changed) when its balance is short.</summary>
    public bool TryDebitSender(Amount amount)
    {
        var account = State.GetAccount(Sender);
        if (account.Balance < amount)
            return false;
        State.SetAccount(Sender, account with { Balance = account.Balance - amount });
        return true;
    }

    public byte ScoreOf(Address address) => State.GetAccount(address).HatScore;

    /// <summary>An eligible sequencer of <paramref name="chain"/>: bonded at least the minimum stake, HAT score at least the minimum.</summary>
    public bool IsEligibleSequencer(ChainRecord chain, Address address)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return State.GetStake(chain.ChainId, address).Bonded >= Parameters.MinimumSequencerStake && ScoreOf(address) >= Parameters.MinimumSequencerScore;
    }

    public IReadOnlyList<Address> EligibleSequencers(ChainRecord chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.Stakers.Where(s => IsEligibleSequencer(chain, s)).ToList();
    }

    /// <summary>The eligible sequencers of <paramref name="chain"/> with their weights (<see cref="StakeQuorum.Weight"/>): what a certificate of this state's set is checked against.</summary>
    public IReadOnlyDictionary<Address, UInt128> SequencerWeights(ChainRecord chain) =>
        EligibleSequencers(chain).ToDictionary(a => a, a => StakeQuorum.Weight(State.GetStake(chain.ChainId, a).Bonded, ScoreOf(a)));

    /// <summary>
    /// The weights of chain <paramref name="chainId"/>'s sequencer set as the state after L1 block
    /// <paramref name="height"/> holds it (<see cref="History"/>); null when that state, or the chain in it, is not known.
    /// </summary>
    public IReadOnlyDictionary<Address, UInt128>? SequencerWeightsAt(ulong chainId, ulong height) =>
        History?.StateAt(height) is { } state && state.GetChain(chainId) is { } chainThen
            ? (this with { State = state, Height = height }).SequencerWeights(chainThen)
            : null;

    /// <summary>
    /// The L1 height whose sequencer set a certificate of an L2 block is counted against, from its
    /// parent's L1 reference: the start of that reference's L1 epoch, never before the deployment.
    /// The one rule of anchors, fraud games and early-share evidence, as the L2 counts it.
    /// </summary>
    public static ulong CertificateSetHeight(ChainRecord chain, NetworkParameters network, ulong parentL1Height)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return Math.Max(chain.DeployHeight, Chain.ChainParameters.For(network, chain.ChainId).L1EpochStart(parentL1Height));
    }
}
