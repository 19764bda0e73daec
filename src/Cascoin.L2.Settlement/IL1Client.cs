using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement;

/// <summary>
/// Everything the L2 side of settlement needs from the settlement layer: its tip and block hashes,
/// the system contracts' records of one chain, submission of this node's L1 transactions, and
/// notice of every change of the active chain (reorganizations included). The embedded regtest
/// chain implements it in process (<see cref="EmbeddedL1Client"/>); an external daemon would
/// implement it over JSON-RPC without the monitor or the settlement view changing.
/// </summary>
public interface IL1Client
{
    SettlementParameters Parameters { get; }

    /// <summary>Height and hash of the active tip.</summary>
    (ulong Height, Hash256 Hash) Tip { get; }

    /// <summary>The hash of the active block at <paramref name="height"/>, or null above the tip.</summary>
    Hash256? GetHash(ulong height);

    /// <summary>The header of the active block at <paramref name="height"/>, or null above the tip.</summary>
    L1BlockHeader? GetHeader(ulong height);

    /// <summary>The registry record of <paramref name="chainId"/> at the tip, or null when no such chain is deployed.</summary>
    ChainRecord? GetChain(ulong chainId);

    AnchorRecord? GetAnchor(ulong chainId, ulong index);

    /// <summary>The queue entry (deposit, message or forced transaction) at <paramref name="sequence"/> as the tip holds it.</summary>
    L1Message? GetQueued(ulong chainId, L1MessageKind kind, ulong sequence);

    /// <summary>Whether <paramref name="sequencer"/> has the stake and score to sequence (and anchor) <paramref name="chainId"/> at the tip.</summary>
    bool IsEligibleSequencer(ulong chainId, Address sequencer);

    /// <summary>
    /// The sequencers eligible on <paramref name="chainId"/> with their bonded stake and HAT score, in
    /// bonding order, as of L1 height <paramref name="atHeight"/> (the tip when null); null when this
    /// node's settlement chain has not reached that height yet.
    /// </summary>
    IReadOnlyList<(Address Address, Amount Stake, byte Score)>? EligibleSequencers(ulong chainId, ulong? atHeight = null);

    /// <summary>The key of <paramref name="epoch"/> (the newest when null) committed for <paramref name="chainId"/> at the tip, or null.</summary>
    EpochKeyRecord? GetEpochKey(ulong chainId, ulong? epoch = null);

    /// <summary>The epochs of the keys of chain <paramref name="chainId"/> waiting in the L1 mempool, whoever posted them.</summary>
    IReadOnlyList<ulong> PendingEpochKeys(ulong chainId);

    /// <summary>The next nonce of <paramref name="sender"/>, counting its transactions waiting to be mined.</summary>
    ulong PendingNonce(Address sender);

    /// <summary>
    /// Queues a signed transaction for mining; null when accepted, else why not. With
    /// <paramref name="refuseFailingCall"/> a transaction whose call would fail at the tip is refused
    /// before it costs a fee.
    /// </summary>
    L1Refusal? Submit(L1Transaction transaction, bool refuseFailingCall = false);

    /// <summary>Whether a transaction submitted earlier still waits to be mined.</summary>
    bool IsPending(Hash256 transactionId);

    /// <summary>The anchors of chain <paramref name="chainId"/> waiting in the L1 mempool, whoever posted them.</summary>
    IReadOnlyList<AnchorCall> PendingAnchors(ulong chainId);

    /// <summary>Takes waiting transactions out before they are mined (with the same senders' later nonces); returns them.</summary>
    IReadOnlyList<L1Transaction> Withdraw(Func<L1Transaction, bool> match);

    /// <summary>Raised in order after every change of the active chain.</summary>
    event Action<L1ChainChange>? Changed;
}
