using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>Double-sign evidence on the staking contract: checked in full on L1, slashes once per sequencer and height, refuses every forgery.</summary>
public sealed class DoubleSigningTests
{
    private static readonly PrivateKey Reporter = TestKeys.Key(84);
    private static readonly PrivateKey Bystander = TestKeys.Key(85);

    private static readonly Hash256 BlockA = new(Hashes.Sha256d("block A"u8));
    private static readonly Hash256 BlockB = new(Hashes.Sha256d("block B"u8));

    /// <summary>Two precommits of <paramref name="signer"/> at one height and round, for blocks A and B.</summary>
    private static DoubleSignCall Evidence(ulong chainId, PrivateKey signer, ulong height = 7, int round = 2, VoteStep step = VoteStep.Precommit) =>
        new(SignedVote.Sign(chainId, height, round, step, BlockA, signer), SignedVote.Sign(chainId, height, round, step, BlockB, signer));

    [Fact]
    public void Two_precommits_at_one_height_and_round_burn_half_the_stake_once_and_the_reporter_pays_only_the_fee()
    {
        StakedChain.Run(nameof(Two_precommits_at_one_height_and_round_burn_half_the_stake_once_and_the_reporter_pays_only_the_fee), (l1, chainId) =>
        {
            var sequencer = StakedChain.SequencerAddress;
            Assert.True(l1.Execute(StakedChain.Sequencer, new BondCall(chainId, Amount.FromCas(10))).Success);
            Assert.True(l1.Execute(StakedChain.Sequencer, new UnbondCall(chainId, Amount.FromCas(4))).Success);
            var before = StakedChain.StakeOf(l1, chainId, sequencer);
            var reporterBalance = l1.Balance(Reporter);
            var evidence = Evidence(chainId, StakedChain.Sequencer);

            var receipt = l1.Execute(Reporter, evidence);

            Assert.True(receipt.Success, receipt.Error);
            Assert.Equal(50, l1.Parameters.DoubleSignSlashPercent);
            var after = StakedChain.StakeOf(l1, chainId, sequencer);
            Assert.Equal(before.Bonded - before.Bonded.PercentFloor(50), after.Bonded);
            Assert.Equal(before.Unbonding - before.Unbonding.PercentFloor(50), after.Unbonding);
            Assert.Equal(reporterBalance - l1.Fee, l1.Balance(Reporter));

            // The same equivocation (either order), or another one at the same height, slashes no more; a wallet submission learns it before paying a fee.
            var again = new DoubleSignCall(evidence.Second, evidence.First);
            Assert.Equal($"sequencer {sequencer} was already slashed for double signing at L2 height 7", l1.Execute(Reporter, again).Error);
            Assert.Equal($"sequencer {sequencer} was already slashed for double signing at L2 height 7",
                l1.Chain.Submit(l1.Sign(Reporter, again), refuseFailingCall: true)?.Message);
            Assert.Equal($"sequencer {sequencer} was already slashed for double signing at L2 height 7",
                l1.Execute(Reporter, Evidence(chainId, StakedChain.Sequencer, round: 5, step: VoteStep.Proposal)).Error);
            Assert.Equal(after, StakedChain.StakeOf(l1, chainId, sequencer));

            // Another height is another offence, whichever step: two proposals, two prevotes.
            Assert.True(l1.Execute(Reporter, Evidence(chainId, StakedChain.Sequencer, height: 8, step: VoteStep.Proposal)).Success);
            Assert.Equal(after.Bonded - after.Bonded.PercentFloor(50), StakedChain.StakeOf(l1, chainId, sequencer).Bonded);
            after = StakedChain.StakeOf(l1, chainId, sequencer);
            Assert.True(l1.Execute(Reporter, Evidence(chainId, StakedChain.Sequencer, height: 9, step: VoteStep.Prevote)).Success);
            Assert.Equal(after.Bonded - after.Bonded.PercentFloor(50), StakedChain.StakeOf(l1, chainId, sequencer).Bonded);
        }, Reporter);
    }

    [Fact]
    public void Forged_or_mismatched_evidence_is_refused_and_slashes_nothing()
    {
        StakedChain.Run(nameof(Forged_or_mismatched_evidence_is_refused_and_slashes_nothing), (l1, chainId) =>
        {
            var key = StakedChain.Sequencer;
            var sequencer = StakedChain.SequencerAddress;
            var stake = StakedChain.StakeOf(l1, chainId, sequencer);
            var honest = Evidence(chainId, key);
            var nil = SignedVote.Sign(chainId, 7, 2, VoteStep.Precommit, Hash256.Zero, key);
            var byBystander = SignedVote.Sign(chainId, 7, 2, VoteStep.Precommit, BlockB, Bystander);
            var cases = new (DoubleSignCall Call, string Error)[]
            {
                (Evidence(chainId + 1, key), $"unknown chain {chainId + 1}"),
                (honest with { Second = SignedVote.Sign(chainId, 8, 2, VoteStep.Precommit, BlockB, key) }, "the messages are for different chains, heights, rounds or steps"),
                // Changing one's mind between rounds, or between prevote and precommit, is the protocol, not an offence.
                (honest with { Second = SignedVote.Sign(chainId, 7, 3, VoteStep.Precommit, BlockB, key) }, "the messages are for different chains, heights, rounds or steps"),
                (honest with { Second = SignedVote.Sign(chainId, 7, 2, VoteStep.Prevote, BlockB, key) }, "the messages are for different chains, heights, rounds or steps"),
                (honest with { Second = SignedVote.Sign(chainId + 1, 7, 2, VoteStep.Precommit, BlockB, key) }, "the messages are for different chains, heights, rounds or steps"),
                (honest with { Second = honest.First }, "both messages name the same block: not double signing"),
                (honest with { Second = byBystander }, $"the messages are signed by different sequencers ({sequencer}, {TestKeys.AddressOf(Bystander)})"),
                // A signature moved onto the other message recovers to some other key.
                (honest with { Second = honest.Second with { Signature = honest.First.Signature } }, "the messages are signed by different sequencers"),
                (honest with { Second = honest.Second with { Signature = new byte[RecoverableSignature.Size] } }, $"a signature does not recover over its message's signing hash for chain {chainId}"),
                (Evidence(chainId, Bystander), $"{TestKeys.AddressOf(Bystander)} has no stake on chain {chainId}"),
            };
            // A precommit for a block and one for nil in the same round do conflict.
            Assert.True(honest.First.ConflictsWith(nil));
            foreach (var (call, error) in cases)
            {
                var receipt = l1.Execute(Reporter, call);
                Assert.False(receipt.Success);
                Assert.StartsWith(error, receipt.Error);
            }
            Assert.Equal(stake, StakedChain.StakeOf(l1, chainId, sequencer));

            // A truncated payload fails to decode: the sender pays its fee, nothing else moves.
            var truncated = honest.ToBytes()[..^1];
            var transaction = L1Transaction.Sign(L1TransactionKind.ReportDoubleSign, l1.Chain.PendingNonce(TestKeys.AddressOf(Reporter)), l1.Fee, truncated, Reporter, L1Node.Network);
            Assert.Null(l1.Chain.Submit(transaction));
            l1.Mine();
            Assert.StartsWith("malformed payload", l1.ReceiptOf(transaction.Id).Error);
            Assert.Equal(stake, StakedChain.StakeOf(l1, chainId, sequencer));
        }, Reporter);
    }

    /// <summary>The node side: evidence the consensus engine queues is posted by the monitor with this node's key, and a duplicate is dropped before it costs a fee.</summary>
    [Fact]
    public void The_monitor_posts_queued_evidence_once()
    {
        SettlementKit.Run(nameof(The_monitor_posts_queued_evidence_once), new KitOptions(), kit =>
        {
            var offender = kit.Users[0];
            Assert.True(kit.L1.Execute(offender, new BondCall(kit.ChainId, Amount.FromCas(10))).Success);
            var evidence = Evidence(kit.ChainId, offender);
            var balance = kit.L1.Balance(kit.Sequencer);

            kit.Monitor.ReportDoubleSign(evidence);
            kit.Monitor.ReportDoubleSign(evidence);
            kit.Monitor.PostDoubleSignReports();

            var posted = Assert.Single(kit.L1.Chain.Mempool);
            Assert.Equal(L1TransactionKind.ReportDoubleSign, posted.Kind);
            Assert.Equal(kit.SequencerAddress, posted.RecoverSender(L1Node.Network));
            kit.MineL1();
            Assert.True(kit.L1.ReceiptOf(posted.Id).Success);
            Assert.Equal(Amount.FromCas(5), kit.L1.Chain.StateAtTip().GetStake(kit.ChainId, TestKeys.AddressOf(offender)).Bonded);
            Assert.Equal(balance - kit.L1.Fee, kit.L1.Balance(kit.Sequencer));
        });
    }

    [Fact]
    public void Evidence_encodes_to_one_form_and_decodes_back()
    {
        var evidence = Evidence(5, Bystander);
        var bytes = evidence.ToBytes();

        var decoded = Assert.IsType<DoubleSignCall>(L1Call.Decode(L1TransactionKind.ReportDoubleSign, bytes));

        Assert.Equal(evidence.ChainId, decoded.ChainId);
        Assert.Equal(evidence.First.ToBytes(), decoded.First.ToBytes());
        Assert.Equal(evidence.Second.ToBytes(), decoded.Second.ToBytes());
        Assert.Equal(bytes, decoded.ToBytes());
        Assert.Throws<DecodeException>(() => L1Call.Decode(L1TransactionKind.ReportDoubleSign, [.. bytes, 0]));
    }
}
