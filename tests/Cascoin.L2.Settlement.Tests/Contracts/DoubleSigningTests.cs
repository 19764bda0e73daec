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

    private static BlockHeader Header(ulong number, ulong timestamp, Address producer) =>
        new(number, new Hash256(Hashes.Sha256d([1, (byte)number])), Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, producer,
            timestamp, 30_000_000, 0, 1, 3, Hash256.Zero);

    /// <summary>Two headers of one height, differing only in timestamp, both sealed by <paramref name="signer"/> for chain <paramref name="sealChainId"/>.</summary>
    private static DoubleSignCall Evidence(ulong chainId, PrivateKey signer, ulong height = 7, ulong? sealChainId = null)
    {
        var first = Header(height, 1_000, TestKeys.AddressOf(signer));
        var second = Header(height, 1_050, TestKeys.AddressOf(signer));
        return new DoubleSignCall(chainId, first, Block.Seal(sealChainId ?? chainId, first, signer), second, Block.Seal(sealChainId ?? chainId, second, signer));
    }

    [Fact]
    public void Two_seals_at_one_height_burn_half_the_stake_once_and_the_reporter_pays_only_the_fee()
    {
        StakedChain.Run(nameof(Two_seals_at_one_height_burn_half_the_stake_once_and_the_reporter_pays_only_the_fee), (l1, chainId) =>
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

            // The same equivocation (either header order) slashes no more; a wallet submission learns it before paying a fee.
            var again = new DoubleSignCall(chainId, evidence.Second, evidence.SecondSeal, evidence.First, evidence.FirstSeal);
            Assert.Equal($"sequencer {sequencer} was already slashed for double signing at L2 height 7", l1.Execute(Reporter, again).Error);
            Assert.Equal($"sequencer {sequencer} was already slashed for double signing at L2 height 7",
                l1.Chain.Submit(l1.Sign(Reporter, again), refuseFailingCall: true));
            Assert.Equal(after, StakedChain.StakeOf(l1, chainId, sequencer));

            // Another height is another offence.
            Assert.True(l1.Execute(Reporter, Evidence(chainId, StakedChain.Sequencer, height: 8)).Success);
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
            var otherHeight = Header(8, 1_000, sequencer);
            var byBystander = Block.Seal(chainId, honest.Second, Bystander);
            var cases = new (DoubleSignCall Call, string Error)[]
            {
                (honest with { ChainId = chainId + 1 }, $"unknown chain {chainId + 1}"),
                (honest with { Second = otherHeight, SecondSeal = Block.Seal(chainId, otherHeight, key) }, "the headers are at different heights (7 and 8): not double signing"),
                (honest with { Second = honest.First, SecondSeal = honest.FirstSeal }, "both seals are on the same header: not double signing"),
                (honest with { SecondSeal = byBystander }, $"the seals are by different sequencers ({sequencer}, {TestKeys.AddressOf(Bystander)})"),
                // A seal moved onto the other header recovers to some other key.
                (honest with { SecondSeal = honest.FirstSeal }, "the seals are by different sequencers"),
                (honest with { SecondSeal = new byte[RecoverableSignature.Size] }, $"a seal does not recover over chain {chainId}'s seal hash of its header"),
                // Seals for another chain id sign another hash: they prove nothing about this chain.
                (Evidence(chainId, key, sealChainId: chainId + 1), "the seals are by different sequencers"),
                (Evidence(chainId, Bystander), $"{TestKeys.AddressOf(Bystander)} has no stake on chain {chainId}"),
            };
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
        Assert.Equal(evidence.First, decoded.First);
        Assert.Equal(evidence.Second, decoded.Second);
        Assert.Equal(evidence.FirstSeal, decoded.FirstSeal);
        Assert.Equal(evidence.SecondSeal, decoded.SecondSeal);
        Assert.Equal(bytes, decoded.ToBytes());
        Assert.Throws<DecodeException>(() => L1Call.Decode(L1TransactionKind.ReportDoubleSign, [.. bytes, 0]));
    }
}
