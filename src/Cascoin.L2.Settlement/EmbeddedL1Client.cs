using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement;

/// <summary>The settlement layer as the embedded regtest chain in this process (<c>-l1=embedded</c>).</summary>
public sealed class EmbeddedL1Client : IL1Client
{
    private readonly L1Chain _chain;

    /// <summary>
    /// Waiting anchors decoded once per transaction: the monitor asks after every L2 block, and a backlog
    /// holds several anchors of up to 1 MiB each. Entries go with their transactions.
    /// </summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<L1Transaction, AnchorCall> _decodedAnchors = [];

    public EmbeddedL1Client(L1Chain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _chain = chain;
    }

    public SettlementParameters Parameters => _chain.Parameters;

    public (ulong Height, Hash256 Hash) Tip
    {
        get
        {
            var tip = _chain.Tip;
            return (tip.Height, tip.Hash);
        }
    }

    public Hash256? GetHash(ulong height) => _chain.GetHash(height);

    public L1BlockHeader? GetHeader(ulong height) => _chain.GetHeader(height);

    public ChainRecord? GetChain(ulong chainId) => _chain.StateAtTip().GetChain(chainId);

    public AnchorRecord? GetAnchor(ulong chainId, ulong index) => _chain.StateAtTip().GetAnchor(chainId, index);

    public L1Message? GetQueued(ulong chainId, L1MessageKind kind, ulong sequence)
    {
        var state = _chain.StateAtTip();
        return kind == L1MessageKind.Forced ? state.GetForced(chainId, sequence) : state.GetL1Message(chainId, sequence);
    }

    public bool IsEligibleSequencer(ulong chainId, Address sequencer)
    {
        // One state read for both the record and the stake, so they come from the same tip.
        var state = _chain.StateAtTip();
        return state.GetChain(chainId) is { } chain
            && new ContractContext(state, _chain.Parameters, _chain.Height, sequencer, Hash256.Zero).IsEligibleSequencer(chain, sequencer);
    }

    public IReadOnlyList<(Address Address, Amount Stake, byte Score)>? EligibleSequencers(ulong chainId, ulong? atHeight = null)
    {
        var height = atHeight ?? _chain.Height;
        L1StateView state;
        try
        {
            state = _chain.StateAt(height);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // not synced that far
        }
        if (state.GetChain(chainId) is not { } chain)
            return [];
        return new ContractContext(state, _chain.Parameters, height, Address.Zero, Hash256.Zero).EligibleSequencers(chain)
            .Select(a => (a, state.GetStake(chainId, a).Bonded, state.GetAccount(a).HatScore)).ToList();
    }

    public EpochKeyRecord? GetEpochKey(ulong chainId, ulong? epoch = null)
    {
        var state = _chain.StateAtTip();
        return epoch is { } number ? EpochKeys.Get(state, chainId, number) : EpochKeys.Latest(state, chainId);
    }

    public IReadOnlyList<ulong> PendingEpochKeys(ulong chainId) =>
        _chain.Mempool.Where(t => t.Kind == L1TransactionKind.CommitEpochKey)
            .Select(t => L1Call.Decode(t.Kind, t.Payload)).OfType<EpochKeyCall>()
            .Where(k => k.ChainId == chainId).Select(k => k.Epoch).ToList();

    public ulong PendingNonce(Address sender) => _chain.PendingNonce(sender);

    public L1Refusal? Submit(L1Transaction transaction, bool refuseFailingCall = false) => _chain.Submit(transaction, refuseFailingCall);

    public bool IsPending(Hash256 transactionId) => _chain.Mempool.Any(t => t.Id == transactionId);

    public IReadOnlyList<AnchorCall> PendingAnchors(ulong chainId) =>
        _chain.Mempool.Where(t => t.Kind == L1TransactionKind.Anchor)
            .Select(t => _decodedAnchors.GetValue(t, static transaction => (AnchorCall)L1Call.Decode(transaction.Kind, transaction.Payload)))
            .Where(a => a.ChainId == chainId)
            .ToList();

    public IReadOnlyList<L1Transaction> Withdraw(Func<L1Transaction, bool> match) => _chain.RemoveFromMempool(match);

    public event Action<L1ChainChange>? Changed
    {
        add => _chain.Changed += value;
        remove => _chain.Changed -= value;
    }
}
