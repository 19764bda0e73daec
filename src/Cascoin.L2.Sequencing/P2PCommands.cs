using Cascoin.L2.Network;
using Cascoin.L2.Sequencing.Consensus;
using Cascoin.L2.Sequencing.Relay;

namespace Cascoin.L2.Sequencing;

/// <summary>
/// Every P2P command the node speaks, with the type that owns its codec (convention 12): the P2P
/// layer's own, the settlement relay's, the L2 relay's and the sequencer network's. A test checks
/// that no two clash and that each fits the 12-byte command field, so a clash fails the tests, not
/// the start.
/// </summary>
public static class P2PCommands
{
    public static IReadOnlyList<(string Command, string Owner)> All { get; } =
    [
        .. NetworkCommands.All.Select(c => (c, nameof(P2PNode))),
        (L1RelayMessages.Block, nameof(L1RelayMessages)),
        (L1RelayMessages.Transaction, nameof(L1RelayMessages)),
        (L1RelayMessages.GetBlocks, nameof(L1RelayMessages)),
        (L1RelayMessages.Blocks, nameof(L1RelayMessages)),
        (L2RelayMessages.Transactions, nameof(L2RelayMessages)),
        (L2RelayMessages.Block, nameof(L2RelayMessages)),
        (L2RelayMessages.GetBlocks, nameof(L2RelayMessages)),
        (L2RelayMessages.Blocks, nameof(L2RelayMessages)),
        (ConsensusMessages.Propose, nameof(ProposalMessage)),
        (ConsensusMessages.Vote, nameof(VoteMessage)),
        (ConsensusMessages.Announce, nameof(Discovery.SequencerAnnouncement)),
        (ShardMessages.GetShard, nameof(ShardMessages)),
        (ShardMessages.Shard, nameof(ShardMessages)),
        (Encryption.EncryptionMessages.Dkg, nameof(Encryption.DkgMessage)),
        (Encryption.DecryptionShareMessage.Command, nameof(Encryption.DecryptionShareMessage)),
    ];
}
