using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Application;

/// <summary>
/// What the settlement chain says about the L2 chains and about this node's chain: deployed chains,
/// where a withdrawal or a message stands, which anchor covers a block, and proofs against an anchored root.
/// </summary>
public sealed class SettlementQueries(L1Chain l1, L2Blockchain? l2 = null)
{
    public L1Chain L1 => l1;

    /// <summary>The L2 chain this node runs, or why there is none.</summary>
    public Outcome<L2Blockchain> RunningChain => l2 is not null ? l2 : new SettlementError(SettlementErrorKind.NoChain, "this node runs no L2 chain");

    /// <summary>A context over the settlement tip for reading stakes and scores (no call is made).</summary>
    public ContractContext TipContext(L1StateView state) => new(state, l1.Parameters, l1.Height, Address.Zero, Hash256.Zero);

    /// <summary>The id of the chain this node runs, or null.</summary>
    public ulong? RunningChainId => l2?.Parameters.ChainId;

    /// <summary>Chain <paramref name="chainId"/> as the settlement tip records it.</summary>
    public Outcome<ChainRecord> Chain(ulong chainId) => l1.StateAtTip().GetChain(chainId) is { } chain
        ? chain
        : new SettlementError(SettlementErrorKind.NotFound, $"chain {chainId} is not deployed on the settlement chain (l2_listchains)");

    /// <summary>
    /// Epoch <paramref name="epoch"/>'s encryption key of a chain (default: the newest), as the registry
    /// records it once the sequencers' key generation committed it.
    /// </summary>
    public Outcome<EpochKeyRecord> EpochKey(ulong chainId, ulong? epoch = null) => Chain(chainId).Then(chain =>
    {
        var state = l1.StateAtTip();
        var record = epoch is { } number ? EpochKeys.Get(state, chainId, number) : EpochKeys.Latest(state, chainId);
        return record is not null
            ? Outcome.Of(record)
            : new SettlementError(SettlementErrorKind.NotFound, epoch is { } missing
                ? $"chain {chainId} has no encryption key of epoch {missing}"
                : chain.Encryption == L2.Chain.Transactions.EncryptionPolicy.Off
                    ? $"chain {chainId} was deployed without an encrypted mempool (l2_deploy … encryption): it has no encryption key"
                    : $"chain {chainId} has no committed encryption key yet: its sequencers commit one within about {l1.Parameters.EpochKeyRunInterval + 7 * l1.Parameters.EpochKeyPhaseBlocks} L1 blocks of a change of their set");
    });

    public IReadOnlyList<ChainRecord> Chains()
    {
        var state = l1.StateAtTip();
        return state.GetChainIds().Select(id => state.GetChain(id)!).ToList();
    }

    /// <summary>The record of the chain this node runs.</summary>
    public Outcome<ChainRecord> RunningChainRecord() => RunningChain.Then(chain =>
        l1.StateAtTip().GetChain(chain.Parameters.ChainId) is { } record
            ? Outcome.Of<ChainRecord>(record)
            : new SettlementError(SettlementErrorKind.NoChain,
                $"L2 chain {chain.Parameters.ChainId} is not deployed on the settlement chain: deploy one (l2_deploy) and restart with -l2chainid"));

    public Outcome<WithdrawalStatus> Withdrawal(Hash256 id) => RunningChain.Then(chain => WithdrawalRecordOf(chain, id).Then(record => RunningChainRecord().Then(settled =>
    {
        var height = l1.Height;
        var state = l1.StateAtTip();
        var paid = state.IsMarked(SettlementKeys.WithdrawalPaid(settled.ChainId, id));
        if (AnchorCovering(settled, record.Block) is not { } anchor)
            return Outcome.Of<WithdrawalStatus>(new WithdrawalStatus(id, paid ? WithdrawalState.Paid : WithdrawalState.Pending, record.Recipient, record.Amount, record.Block, null, null, height));
        // The period the bridge enforces: a quarter of the challenge period for an owner with a high HAT score.
        // A paid withdrawal keeps its anchor and the height it became payable: where it was proven, for the record.
        var finalAt = anchor.PostedHeight + Contracts.Bridge.WithdrawalPeriod(l1.Parameters, settled, record);
        var status = paid ? WithdrawalState.Paid : CanBeMinedBy(finalAt) ? WithdrawalState.Finalizable : WithdrawalState.Anchored;
        return new WithdrawalStatus(id, status, record.Recipient, record.Amount, record.Block, anchor.Index, finalAt, height);
    })));

    /// <summary>L1→L2 queue entry <paramref name="sequence"/> of this node's chain.</summary>
    public Outcome<MessageStatus> MessageToL2(ulong sequence) => RunningChain.Then(chain => RunningChainRecord().Then(settled =>
    {
        if (l1.StateAtTip().GetL1Message(settled.ChainId, sequence) is not { } queued)
            return new SettlementError(SettlementErrorKind.NotFound, $"no L1→L2 message {sequence}");
        var delivered = chain.GetRecord(BridgeKeys.Delivered(sequence)) is not null;
        return Outcome.Of<MessageStatus>(new MessageStatus(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), true,
            delivered ? MessageState.Delivered : MessageState.Queued, queued.Sender, queued.Recipient, queued.Data, null, null, null));
    }));

    /// <summary>The L2→L1 message sent by L2 transaction <paramref name="id"/>.</summary>
    public Outcome<MessageStatus> MessageToL1(Hash256 id) => RunningChain.Then(chain => MessageRecordOf(chain, id).Then(found => RunningChainRecord().Then(settled =>
    {
        var record = found.Record;
        var anchor = AnchorCovering(settled, record.Block);
        var executed = l1.StateAtTip().IsMarked(SettlementKeys.MessageExecuted(settled.ChainId, id));
        var finalAt = anchor is null ? (ulong?)null : anchor.PostedHeight + settled.ChallengePeriod;
        var state = executed ? MessageState.Executed : anchor is null ? MessageState.Pending : CanBeMinedBy(finalAt!.Value) ? MessageState.Executable : MessageState.Anchored;
        return Outcome.Of<MessageStatus>(new MessageStatus(id.ToString(), false, state, record.Sender, record.Target, record.Data, record.Block, anchor?.Index, finalAt));
    })));

    /// <summary>This node's chain record, or null when it runs no deployed chain.</summary>
    public ChainRecord? RunningChainRecordOrNull() => RunningChainRecord() is { Succeeded: true } record ? record.Value : null;

    /// <summary>The newest anchor of this node's chain that is final at the tip (the "finalized" L2 block is its last), or null.</summary>
    public AnchorRecord? LastFinalAnchor() =>
        RunningChainRecordOrNull() is { } chain ? Contracts.Anchors.LastFinal(l1.StateAtTip(), chain, l1.Height) : null;

    /// <summary>The first anchor whose range covers L2 block <paramref name="block"/>, or null.</summary>
    public AnchorRecord? AnchorCovering(ChainRecord chain, ulong block)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var state = l1.StateAtTip();
        for (ulong index = 0; index < chain.AnchorCount; index++)
        {
            var anchor = state.GetAnchor(chain.ChainId, index)!;
            if (anchor.FirstBlock <= block && block <= anchor.LastBlock)
                return anchor;
        }
        return null;
    }

    /// <summary>The anchor covering <paramref name="block"/>, or a "not anchored yet" error naming <paramref name="what"/>.</summary>
    public Outcome<AnchorRecord> Anchored(ChainRecord chain, ulong block, string what) => AnchorCovering(chain, block) is { } anchor
        ? anchor
        : new SettlementError(SettlementErrorKind.NotReady, $"{what} is not anchored yet: wait for the next batch and mine it (generate)");

    /// <summary>The compact proof of L2 state key <paramref name="key"/> under <paramref name="anchor"/>'s root.</summary>
    public static Outcome<byte[]> ProofAt(L2Blockchain chain, Hash256 key, AnchorRecord anchor)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(anchor);
        try
        {
            return chain.GetRecordProof(key, anchor.StateRoot).Proof.ToCompact();
        }
        catch (ArgumentException)
        {
            return new SettlementError(SettlementErrorKind.StateUnavailable, $"this node no longer holds the state of anchor {anchor.Index} (root {anchor.StateRoot.ToHex()})");
        }
    }

    public static Outcome<WithdrawalRecord> WithdrawalRecordOf(L2Blockchain chain, Hash256 id)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.GetRecord(BridgeKeys.Withdrawal(id)) is { } bytes
            ? WithdrawalRecord.FromBytes(bytes)
            : new SettlementError(SettlementErrorKind.NotFound, $"no withdrawal {id} in the L2 state (not mined yet, or not a withdrawal)");
    }

    /// <summary>The L2→L1 message record of transaction <paramref name="id"/> and its stored bytes (what the L1 proof shows).</summary>
    public static Outcome<(L2MessageRecord Record, byte[] Bytes)> MessageRecordOf(L2Blockchain chain, Hash256 id)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.GetRecord(BridgeKeys.Message(id)) is { } bytes
            ? (L2MessageRecord.FromBytes(bytes), bytes)
            : new SettlementError(SettlementErrorKind.NotFound, $"no L2→L1 message {id} in the L2 state");
    }

    /// <summary>
    /// Whether a call sent now can pass a rule that holds from L1 height <paramref name="height"/>: it is
    /// mined (and checked) in the next block, so this matches what finalizing and executing accept.
    /// </summary>
    public bool CanBeMinedBy(ulong height) => l1.Height + 1 >= height;
}
