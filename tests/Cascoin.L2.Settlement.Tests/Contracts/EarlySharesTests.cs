using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>
/// Slashing for decryption shares released before finality (doc/encrypted-mempool.md), on a real
/// settlement chain with four staked members of an epoch key made by their DKG. A member's signed
/// release whose certificate does not certify its block is slashed, once; a release with a real
/// certificate is refused as evidence, and so is every forgery an accuser could try: a release the
/// member did not sign, shares of another block, a parent that is not the block's, a parent naming an
/// L1 block that is not on the chain, an epoch that was never committed.
/// </summary>
public sealed class EarlySharesTests
{
    private static readonly PrivateKey[] Others = [TestKeys.Key(81), TestKeys.Key(82), TestKeys.Key(83)];

    [Fact]
    public void A_release_without_a_certificate_of_its_block_is_slashed_once_and_nothing_else_is()
    {
        StakedChain.Run(nameof(A_release_without_a_certificate_of_its_block_is_slashed_once_and_nothing_else_is), EncryptionPolicy.Optional, (l1, chainId) =>
        {
            var (keys, setHeight) = EpochKeyTests.BondMembers(l1, chainId, Others);
            var key = EpochKeyTests.Dkg(keys, chainId);
            var record = new EpochKeyCall(chainId, 1, setHeight, key.PublicKey, key.VerificationKeys, [1, 2, 3, 4], []);
            record = record with { Signatures = keys.Take(3).Select(k => k.SignRecoverable(record.Digest.ToArray()).ToArray()).ToList() };
            Assert.True(l1.Execute(StakedChain.Sequencer, record).Success);

            // L2 block 5 and its parent, which names an L1 block of this chain; three envelopes in block 5.
            var parent = Header(4, Hash256.Zero, l1.Height, l1.Chain.GetHash(l1.Height)!.Value);
            var block = Header(5, parent.Hash, l1.Height, l1.Chain.GetHash(l1.Height)!.Value);
            var ciphertexts = Enumerable.Range(0, 3).Select(i => ThresholdEncryption.Encrypt(key.PublicKey, [(byte)i, 1, 2, 3], [(byte)i])).ToList();
            var points = ciphertexts.Select(c => c[..33]).ToList();
            byte[] BatchOf(BlockHeader header, int member) => BatchDecryptionShare.Create(key.Shares[member - 1],
                CiphertextBatch.Of(ciphertexts, ciphertexts.Select((_, i) => new[] { (byte)i }).ToList(), ShareRelease.Context(chainId, header.Number, header.Hash, 1))!);
            const int Member = 2;
            var accused = keys[Member - 1];
            EarlySharesCall Evidence(CommitCertificate certificate, PrivateKey? signer = null, byte[]? batch = null, BlockHeader? parentHeader = null, ulong epoch = 1)
            {
                batch ??= BatchOf(block, Member);
                var release = ShareRelease.Digest(chainId, block.Number, block.Hash, epoch, batch, certificate.Hash);
                return new EarlySharesCall(chainId, epoch, Member, block, parentHeader ?? parent, points, batch, certificate, (signer ?? accused).SignRecoverable(release.ToArray()).ToArray());
            }
            CommitCertificate SignedBy(IEnumerable<PrivateKey> signers) => new(0, signers.Select(k => Block.Seal(chainId, block, k, 0)).ToList());
            string? Refusal(EarlySharesCall call) => l1.Execute(TestKeys.Key(81), call).Error;
            var bonded = StakedChain.StakeOf(l1, chainId, TestKeys.AddressOf(accused)).Bonded;

            // Shares made with the block's certificate in hand (three of four equal weights) were released after finality.
            Assert.Contains("released after finality", Refusal(Evidence(SignedBy(keys.Take(3)))), StringComparison.Ordinal);
            // Forgeries: another member's signature, shares of another block, a parent that is not the block's or names a foreign L1 block, an epoch never committed.
            Assert.Contains("not signed by member 2", Refusal(Evidence(CommitCertificate.Empty, signer: keys[0])), StringComparison.Ordinal);
            var otherBlock = Header(5, parent.Hash, l1.Height, l1.Chain.GetHash(l1.Height)!.Value, fork: "other");
            Assert.Contains("not member 2's valid shares", Refusal(Evidence(CommitCertificate.Empty, batch: BatchOf(otherBlock, Member))), StringComparison.Ordinal);
            Assert.Contains("not member 2's valid shares", Refusal(Evidence(CommitCertificate.Empty, batch: BatchOf(block, 3))), StringComparison.Ordinal);
            Assert.Contains("not the parent", Refusal(Evidence(CommitCertificate.Empty, parentHeader: Header(4, Hash256.Zero, l1.Height, l1.Chain.GetHash(l1.Height)!.Value, fork: "other"))),
                StringComparison.Ordinal);
            var foreignParent = Header(4, Hash256.Zero, l1.Height, Hash256.Zero);
            var orphan = Header(5, foreignParent.Hash, l1.Height, Hash256.Zero);
            var orphanBatch = BatchDecryptionShare.Create(key.Shares[Member - 1],
                CiphertextBatch.Of(ciphertexts, ciphertexts.Select((_, i) => new[] { (byte)i }).ToList(), ShareRelease.Context(chainId, 5, orphan.Hash, 1))!);
            var orphanRelease = ShareRelease.Digest(chainId, 5, orphan.Hash, 1, orphanBatch, Hash256.Zero);
            Assert.Contains("no longer on this chain", Refusal(new EarlySharesCall(chainId, 1, Member, orphan, foreignParent, points, orphanBatch, CommitCertificate.Empty,
                accused.SignRecoverable(orphanRelease.ToArray()).ToArray())), StringComparison.Ordinal);
            Assert.Contains("no encryption key of epoch 2", Refusal(Evidence(CommitCertificate.Empty, epoch: 2)), StringComparison.Ordinal);
            Assert.Equal(bonded, StakedChain.StakeOf(l1, chainId, TestKeys.AddressOf(accused)).Bonded);

            // Two of four signers are not a certificate: the member released its shares before the block was final.
            var early = Evidence(SignedBy(keys.Take(2)));
            Assert.True(l1.Parameters.FeeFor(L1TransactionKind.ReportEarlyShares, early.ToBytes().Length) > l1.Parameters.MinimumFee);
            var receipt = l1.Execute(TestKeys.Key(81), early);
            Assert.True(receipt.Success, receipt.Error);
            var slashed = StakedChain.StakeOf(l1, chainId, TestKeys.AddressOf(accused)).Bonded;
            Assert.Equal(bonded.Sat * (100 - l1.Parameters.DoubleSignSlashPercent) / 100, slashed.Sat);
            // Once per height: the same release, or one with no certificate at all, does not slash it again.
            Assert.Contains("already slashed", Refusal(early), StringComparison.Ordinal);
            Assert.Contains("already slashed", Refusal(Evidence(CommitCertificate.Empty)), StringComparison.Ordinal);
            Assert.Equal(slashed, StakedChain.StakeOf(l1, chainId, TestKeys.AddressOf(accused)).Bonded);
        }, [.. Others]);
    }

    private static BlockHeader Header(ulong number, Hash256 parent, ulong l1Height, Hash256 l1Hash, string fork = "honest") =>
        new(number, parent, new Hash256(Hashes.Sha256d(System.Text.Encoding.UTF8.GetBytes($"{fork} root {number}"))), MerkleRoot.Compute([]), MerkleRoot.Compute([]), Hash256.Zero,
            StakedChain.SequencerAddress, 1_000 + number, 30_000_000, 0, 10, l1Height, l1Hash, default);
}
