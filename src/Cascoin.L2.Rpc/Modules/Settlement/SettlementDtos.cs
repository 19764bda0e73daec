using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;

namespace Cascoin.L2.Rpc.Modules.Settlement;

public sealed record DeployResultDto(ulong ChainId, string TxId);

public sealed record ChainInfoDto(
    ulong ChainId,
    string Name,
    string Status,
    string Deployer,
    ulong BlockTimeMs,
    ulong GasLimit,
    ulong ChallengePeriod,
    ulong DeployHeight,
    IReadOnlyList<SequencerDto> Sequencers,
    ulong Anchors,
    ulong LastAnchorHeight,
    ulong LastAnchoredBlock,
    ulong L1Messages,
    ulong ForcedTransactions,
    Amount Locked,
    Amount WithdrawnToday)
{
    /// <summary>For the chain this node runs: why it posts no anchor although one is due (the halting rule), or null.</summary>
    public string? AnchoringHalted { get; init; }

    /// <summary>For the chain this node derives from L1 (-l2sync=l1): the share of the anchored blocks re-executed, 0..1; else null.</summary>
    public double? VerificationProgress { get; init; }

    /// <summary>The encrypted mempool: off, optional or required.</summary>
    public string Encryption { get; init; } = "off";

    public static ChainInfoDto Of(ChainRecord chain, ContractContext context, NetworkParameters network) => new(
        chain.ChainId, chain.Name, chain.Status.ToString().ToUpperInvariant(), chain.Deployer.ToBase58(network), chain.BlockTimeMs,
        chain.GasLimit, chain.ChallengePeriod, chain.DeployHeight,
        chain.Stakers.Select(s =>
        {
            var stake = context.State.GetStake(chain.ChainId, s);
            return new SequencerDto(s.ToBase58(network), stake.Bonded, stake.Unbonding, context.ScoreOf(s), context.IsEligibleSequencer(chain, s));
        }).ToList(),
        chain.AnchorCount, chain.LastAnchorHeight, chain.LastAnchoredBlock, chain.L1MessageCount, chain.ForcedCount, chain.Locked, chain.WithdrawnToday)
    {
        Encryption = chain.Encryption.Name(),
    };
}

public sealed record SequencerDto(string Address, Amount Bonded, Amount Unbonding, byte Score, bool Eligible);

public sealed record WithdrawalStatusDto(
    string TxId,
    string Status,
    string Recipient,
    Amount Amount,
    ulong L2Block,
    ulong? AnchorIndex,
    ulong? FinalAtHeight,
    ulong L1Height);

public sealed record MessageStatusDto(string Id, string Direction, string Status, string From, string To, string Data, ulong? L2Block, ulong? AnchorIndex, ulong? FinalAtHeight);

public sealed record AffectedDto(string TxId, ulong RevertedBlock, string Outcome);

public sealed record BatchDto(
    ulong ChainId,
    ulong Index,
    ulong FirstBlock,
    ulong LastBlock,
    IReadOnlyList<string> BlockRoots,
    string StateRoot,
    string DaCommitment,
    int DataShards,
    int ParityShards,
    int ShardSize,
    int RawBytes,
    int CompressedBytes,
    int L1Bytes,
    int Transactions,
    string L1TxId,
    string L1BlockHash,
    ulong L1Height,
    string? Data)
{
    /// <summary>pending (in its challenge period), challenged (a fraud-proof game holds it) or final.</summary>
    public string Status { get; init; } = "pending";
}
