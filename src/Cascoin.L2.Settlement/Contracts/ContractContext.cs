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
}
