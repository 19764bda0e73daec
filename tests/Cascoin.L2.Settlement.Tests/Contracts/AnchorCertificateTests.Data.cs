using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.DataAvailability.Batches;
using Cascoin.L2.DataAvailability.Commitments;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>
/// Batch data on L1 (issue 13), played by a hostile poster: an anchor carries the zstd frame of its
/// blocks under a DA commitment the contract recomputes. A lying commitment, missing data, data that
/// is not the headers' blocks or does not decode, and an anchor that does not pay for its bytes all fail.
/// </summary>
public sealed partial class AnchorCertificateTests
{
    [Fact]
    public void An_anchor_with_a_lying_commitment_without_its_data_or_with_data_of_other_blocks_is_refused()
    {
        WithFourSequencers(nameof(An_anchor_with_a_lying_commitment_without_its_data_or_with_data_of_other_blocks_is_refused), (l1, chainId) =>
        {
            var genesis = new Hash256(Hashes.Sha256d("genesis"u8));
            var honest = Certified(chainId, Headers(l1, 1, 3, genesis), Set);

            // The right data under another root: the parity and the root are recomputed from the data.
            AssertRefused(l1, chainId, honest with { DataRoot = new Hash256(Hashes.Sha256d("made up"u8)) }, L1RefuseReason.BadCommitment, "the batch data's commitment is");
            AssertRefused(l1, chainId, honest with { Data = [], DataRoot = Hash256.Zero }, L1RefuseReason.BadData, "an anchor without its data is refused");

            // A batch whose blocks hold a transaction the headers do not (a withholding sequencer posting other data), under its true commitment.
            var forged = Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Transfer, chainId, 0, TestKeys.Outsider("x"), Amount.FromSat(1), 1, 0, 21_000, null), Outsider);
            var other = BatchPackage.Of(chainId, honest.Headers.Select((h, i) => new Block(h, i == 1 ? [forged] : [], [])).ToList());
            AssertRefused(l1, chainId, honest with { Data = other.Frame, DataRoot = other.Commitment.Root }, L1RefuseReason.BadData, "is not the headers' blocks");

            // Bytes that are no zstd frame, and a frame of bytes that are no batch, each under their true commitment.
            var garbage = Hashes.Sha256d("not a frame"u8);
            AssertRefused(l1, chainId, honest with { Data = garbage, DataRoot = ShardCommitment.Of(garbage).Commitment.Root }, L1RefuseReason.BadData, "does not decode");
            var notABatch = BatchFrame.Compress("hello"u8);
            AssertRefused(l1, chainId, honest with { Data = notABatch, DataRoot = ShardCommitment.Of(notABatch).Commitment.Root }, L1RefuseReason.BadData, "does not decode");
            // Another chain's batch.
            var foreign = BatchPackage.Of(chainId + 1, honest.Headers.Select(h => new Block(h, [], [])).ToList());
            AssertRefused(l1, chainId, honest with { Data = foreign.Frame, DataRoot = foreign.Commitment.Root }, L1RefuseReason.BadData, $"is for chain {chainId + 1}");

            Assert.Equal(0UL, Record(l1, chainId).AnchorCount);
            Assert.True(Post(l1, honest).Success);
            var anchor = l1.Chain.StateAtTip().GetAnchor(chainId, 0)!;
            Assert.Equal((honest.DataRoot, honest.Data.Length), (anchor.DataRoot, anchor.DataLength));
        });
    }

    [Fact]
    public void An_anchor_pays_for_every_byte_it_carries()
    {
        WithFourSequencers(nameof(An_anchor_pays_for_every_byte_it_carries), (l1, chainId) =>
        {
            var call = Certified(chainId, Headers(l1, 1, 3, new Hash256(Hashes.Sha256d("genesis"u8))), Set);
            var payload = call.ToBytes();
            var required = l1.Parameters.FeeFor(L1TransactionKind.Anchor, payload.Length);
            Assert.Equal(l1.Parameters.MinimumFee + Amount.FromSat(l1.Parameters.BatchByteFee.Sat * payload.Length), required);

            var cheap = l1.Sign(Outsider, call, fee: required - Amount.FromSat(1));
            Assert.Equal(L1RefuseReason.FeeTooLow, l1.Chain.Submit(cheap)?.Reason);
            Assert.Empty(l1.Chain.Mempool);

            var before = l1.Balance(TestKeys.AddressOf(Outsider));
            Assert.True(Post(l1, call).Success);
            Assert.Equal(before - required, l1.Balance(TestKeys.AddressOf(Outsider)));
        });
    }
}
