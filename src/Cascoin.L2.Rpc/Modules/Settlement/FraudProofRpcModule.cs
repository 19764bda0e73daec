using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Application;

namespace Cascoin.L2.Rpc.Modules.Settlement;

[RpcModule("l2 fraud proofs")]
public interface IFraudProofRpc
{
    [RpcMethod("l2_getchallenges", "The fraud-proof games of a chain on the settlement chain (doc/fraud-proofs.md): who challenged which block of which anchor, the disputed step range and whose move it is, or how the game ended.",
        Returns = "[ { game, anchor, block, challenger, bond, openedheight, phase, lo, hi, deadline, open } ]")]
    IReadOnlyList<ChallengeDto> GetChallenges([RpcParam("the chain id (default: this node's)")] ulong? chainid = null,
        [RpcParam("open or closed (default: both)")] string? status = null);

    [RpcMethod("l2_submitfraudproof", "Opens a fraud-proof game by hand on an anchor of this node's chain: on the first block (or the named one) whose signed state root this node's own execution does not reach, bonding from the sequencer key; the node then plays it. Refused when its execution agrees with the anchor.",
        Returns = "{ anchor, block, txid }")]
    SubmittedChallengeDto SubmitFraudProof([RpcParam("the chain id")] ulong chainid, [RpcParam("the anchor (batch) index")] ulong anchor,
        [RpcParam("the disputed L2 block (default: the first wrong one)")] ulong? block = null);
}

public sealed record SubmittedChallengeDto(ulong Anchor, ulong Block, string TxId);

public sealed record ChallengeDto(ulong Game, ulong Anchor, ulong Block, string Challenger, decimal Bond, ulong OpenedHeight, string Phase, int Lo, int Hi, ulong Deadline, bool Open);

/// <summary>The fraud verifier's games over RPC: binds, asks the challenge queries, maps.</summary>
public sealed class FraudProofRpcModule(ChallengeQueries challenges, SettlementQueries queries, RpcNodeContext node, Cascoin.L2.Settlement.FraudWatcher? watcher = null)
    : IRpcModule, IFraudProofRpc
{
    public SubmittedChallengeDto SubmitFraudProof(ulong chainid, ulong anchor, ulong? block = null)
    {
        if (watcher is null || queries.RunningChainId != chainid)
            throw new RpcException(RpcErrorCode.MiscError, $"this node does not run chain {chainid}: it proves fraud only on the chain it executes");
        var (txid, disputed, error) = watcher.ChallengeNow(anchor, block);
        return txid is { } id ? new SubmittedChallengeDto(anchor, disputed, id.ToString()) : throw new RpcException(RpcErrorCode.MiscError, error!);
    }

    public IReadOnlyList<ChallengeDto> GetChallenges(ulong? chainid = null, string? status = null)
    {
        var id = chainid ?? queries.RunningChainId ?? throw RpcException.InvalidParameter("give a chain id: this node runs no L2 chain");
        bool? open = status switch
        {
            null => null,
            "open" => true,
            "closed" => false,
            _ => throw RpcException.InvalidParameter($"status is open or closed, not {status}"),
        };
        return challenges.Games(id, open).OrThrow().Select(g => new ChallengeDto(g.Id, g.AnchorIndex, g.Block, g.Challenger.ToBase58(node.Network),
            g.Bond.Sat / (decimal)Amount.SatPerCas, g.OpenedHeight, ChallengeQueries.PhaseName(g.Game.Phase), g.Game.Lo, g.Game.Hi, g.Game.Deadline, !g.Game.IsOver)).ToList();
    }
}
