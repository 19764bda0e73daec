using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>
/// Anchors as quorum certificates (issue 12), played by a hostile staker from outside the honest
/// nodes: its own L1 transactions, hand-built L2 headers, its own signatures. Four sequencers of equal
/// weight (keys 80–83); any three certify, fewer never; whatever the poster claims beyond the
/// certified headers is not read at all.
/// </summary>
public sealed partial class AnchorCertificateTests
{
    private static readonly PrivateKey[] Set = [StakedChain.Sequencer, TestKeys.Key(81), TestKeys.Key(82), TestKeys.Key(83)];
    private static readonly PrivateKey Outsider = TestKeys.Key(86);

    /// <summary>Runs <paramref name="test"/> on a chain whose four sequencers are all bonded and eligible at the tip.</summary>
    private static void WithFourSequencers(string name, Action<L1Node, ulong> test) =>
        StakedChain.Run(name, (l1, chainId) =>
        {
            foreach (var key in Set.Skip(1))
            {
                l1.Submit(key, new SetReputationCall(TestKeys.AddressOf(key), 60));
                l1.Submit(key, new BondCall(chainId, l1.Parameters.MinimumSequencerStake));
            }
            l1.Mine();
            Assert.Equal(4, new EmbeddedL1Client(l1.Chain).EligibleSequencers(chainId)!.Count);
            test(l1, chainId);
        }, [.. Set.Skip(1), Outsider]);

    /// <summary><paramref name="count"/> chained headers from <paramref name="first"/>, each referencing L1 block <paramref name="l1Height"/> (by its true hash unless told).</summary>
    private static List<BlockHeader> Headers(L1Node l1, ulong first, int count, Hash256 parent, ulong? l1Height = null, Hash256? l1Hash = null,
        QueueCursor processed = default, string fork = "honest")
    {
        var height = l1Height ?? l1.Height;
        var hash = l1Hash ?? l1.Chain.GetHash(height)!.Value;
        var headers = new List<BlockHeader>();
        for (var i = 0; i < count; i++)
        {
            var number = first + (ulong)i;
            var header = new BlockHeader(number, parent, new Hash256(Hashes.Sha256d(System.Text.Encoding.UTF8.GetBytes($"{fork} root {number}"))),
                MerkleRoot.Compute([]), MerkleRoot.Compute([]), Hash256.Zero, StakedChain.SequencerAddress, 1_000 + number, 30_000_000, 0, 10, height, hash, processed);
            headers.Add(header);
            parent = header.Hash;
        }
        return headers;
    }

    /// <summary>The anchor of empty blocks with these headers (their batch data and its commitment), certified by <paramref name="signers"/>.</summary>
    private static AnchorCall Certified(ulong chainId, List<BlockHeader> headers, IEnumerable<PrivateKey> signers, int round = 0)
    {
        var blocks = headers.Select(h => new Block(h, [], [])).ToList();
        blocks[^1] = blocks[^1].WithCertificate(round, signers.Select(k => Block.Seal(chainId, headers[^1], k, round)).ToList());
        return AnchorCall.Of(chainId, blocks);
    }

    private static L1Receipt Post(L1Node l1, AnchorCall call, PrivateKey? poster = null) => l1.Execute(poster ?? Outsider, call);

    private static ChainRecord Record(L1Node l1, ulong chainId) => l1.Chain.StateAtTip().GetChain(chainId)!;

    private static void AssertRefused(L1Node l1, ulong chainId, AnchorCall call, L1RefuseReason reason, string message)
    {
        var before = Record(l1, chainId);
        var receipt = Post(l1, call);
        Assert.False(receipt.Success, $"the anchor was expected to fail with \"{message}\"");
        Assert.Equal(reason, receipt.Refusal!.Reason);
        Assert.Contains(message, receipt.Error, StringComparison.Ordinal);
        var after = Record(l1, chainId);
        Assert.Equal(before.AnchorCount, after.AnchorCount);
        Assert.Equal(before.LastAnchoredBlock, after.LastAnchoredBlock);
    }

    [Fact]
    public void Three_of_four_sequencers_certify_a_batch_that_anyone_may_post_and_the_record_is_read_from_the_headers()
    {
        WithFourSequencers(nameof(Three_of_four_sequencers_certify_a_batch_that_anyone_may_post_and_the_record_is_read_from_the_headers), (l1, chainId) =>
        {
            var headers = Headers(l1, 1, 5, new Hash256(Hashes.Sha256d("genesis"u8)));
            var receipt = Post(l1, Certified(chainId, headers, Set[1..], round: 2));
            Assert.True(receipt.Success, receipt.Error);

            var anchor = l1.Chain.StateAtTip().GetAnchor(chainId, 0)!;
            Assert.Equal((1UL, 5UL), (anchor.FirstBlock, anchor.LastBlock));
            Assert.Equal(headers[^1].StateRoot, anchor.StateRoot);
            Assert.Equal(headers[^1].Hash, anchor.LastBlockHash);
            Assert.Equal(MerkleRoot.Compute(headers.Select(h => h.StateRoot).ToList()), anchor.BlockRootsRoot);
            var call = Certified(chainId, headers, Set[1..], round: 2);
            Assert.Equal(DataAvailability.Commitments.ShardCommitment.Of(call.Data).Commitment.Root, anchor.DataRoot);
            Assert.Equal(call.Data.Length, anchor.DataLength);
            Assert.Equal(headers[^1].L1AnchorHeight, anchor.SetHeight);
            Assert.Equal(Set[1..].Select(TestKeys.AddressOf), anchor.Signers);
            Assert.Equal(TestKeys.AddressOf(Outsider), anchor.Poster);
            Assert.Equal(5UL, Record(l1, chainId).LastAnchoredBlock);

            // The next batch continues from the anchored block's hash, and only from it.
            AssertRefused(l1, chainId, Certified(chainId, Headers(l1, 6, 3, headers[^2].Hash), Set), L1RefuseReason.BadRange, "is not the child of anchored block 5");
            Assert.True(Post(l1, Certified(chainId, Headers(l1, 6, 3, headers[^1].Hash), Set)).Success);
        });
    }

    [Fact]
    public void A_single_signer_a_short_set_forged_or_repeated_signatures_certify_nothing()
    {
        WithFourSequencers(nameof(A_single_signer_a_short_set_forged_or_repeated_signatures_certify_nothing), (l1, chainId) =>
        {
            var genesis = new Hash256(Hashes.Sha256d("genesis"u8));
            // The attack of the issue: the deployer alone anchors a made-up root.
            var headers = Headers(l1, 1, 5, genesis, fork: "made up");
            AssertRefused(l1, chainId, Certified(chainId, headers, [StakedChain.Sequencer]), L1RefuseReason.BadCertificate, "signed by 1 of 4 sequencers");
            AssertRefused(l1, chainId, Certified(chainId, headers, Set[..2]), L1RefuseReason.BadCertificate, "signed by 2 of 4 sequencers");
            AssertRefused(l1, chainId, Certified(chainId, headers, []), L1RefuseReason.BadCertificate, "signed by 0 of 4 sequencers");
            // Two real members and a key that is not bonded; a member counted twice; a signature over another round.
            AssertRefused(l1, chainId, Certified(chainId, headers, [.. Set[..2], Outsider]), L1RefuseReason.BadCertificate, $"{TestKeys.AddressOf(Outsider)} is not in the sequencer set");
            AssertRefused(l1, chainId, Certified(chainId, headers, [Set[0], Set[1], Set[1]]), L1RefuseReason.BadCertificate, "signed the certificate twice");
            var otherRound = Certified(chainId, headers, Set[1..], round: 1);
            otherRound = otherRound with { Certificate = otherRound.Certificate with { Round = 0 } };
            AssertRefused(l1, chainId, otherRound, L1RefuseReason.BadCertificate, "is not in the sequencer set");
            var garbage = Certified(chainId, headers, Set[1..]);
            garbage = garbage with { Certificate = garbage.Certificate with { Signatures = [.. garbage.Certificate.Signatures.Take(2), new byte[RecoverableSignature.Size]] } };
            AssertRefused(l1, chainId, garbage, L1RefuseReason.BadCertificate, "a certificate signature does not recover");
            // A certificate of another chain's block.
            AssertRefused(l1, chainId, Certified(chainId, headers, Set[1..]) with { Certificate = new CommitCertificate(0, Set[1..].Select(k => Block.Seal(chainId + 1, headers[^1], k)).ToList()) },
                L1RefuseReason.BadCertificate, "is not in the sequencer set");
            Assert.Equal(0UL, Record(l1, chainId).AnchorCount);
        });
    }

    [Fact]
    public void Batches_that_skip_break_the_chain_of_headers_or_run_past_the_bound_are_refused()
    {
        WithFourSequencers(nameof(Batches_that_skip_break_the_chain_of_headers_or_run_past_the_bound_are_refused), (l1, chainId) =>
        {
            var genesis = new Hash256(Hashes.Sha256d("genesis"u8));
            AssertRefused(l1, chainId, Certified(chainId, Headers(l1, 6, 3, genesis), Set), L1RefuseReason.BadRange, "the next batch starts at L2 block 1 (got 6)");
            AssertRefused(l1, chainId, Certified(chainId, Headers(l1, ulong.MaxValue - 1, 2, genesis), Set), L1RefuseReason.BadRange, "the next batch starts at L2 block 1");
            AssertRefused(l1, chainId, Certified(chainId, Headers(l1, 1, 1, genesis), Set), L1RefuseReason.BadRange, "an anchor ends at L2 block 2 or later");

            var unchained = Headers(l1, 1, 4, genesis);
            unchained[2] = Headers(l1, 3, 1, genesis)[0];
            AssertRefused(l1, chainId, Certified(chainId, unchained, Set), L1RefuseReason.BadRange, "header 2 (L2 block 3) is not the child of header 1");
            var gap = Headers(l1, 1, 4, genesis);
            gap.RemoveAt(2);
            AssertRefused(l1, chainId, Certified(chainId, gap, Set), L1RefuseReason.BadRange, "is not the child of header 1");

            var tooMany = Headers(l1, 1, l1.Parameters.MaxAnchorBlocks + 1, genesis);
            AssertRefused(l1, chainId, Certified(chainId, tooMany, Set), L1RefuseReason.BadRange, $"an anchor covers at most {l1.Parameters.MaxAnchorBlocks} L2 blocks");
            Assert.Equal(0UL, Record(l1, chainId).AnchorCount);
        });
    }

    [Fact]
    public void Headers_bound_to_another_an_old_or_a_future_L1_block_are_refused()
    {
        WithFourSequencers(nameof(Headers_bound_to_another_an_old_or_a_future_L1_block_are_refused), (l1, chainId) =>
        {
            var genesis = new Hash256(Hashes.Sha256d("genesis"u8));
            var deployHeight = Record(l1, chainId).DeployHeight;
            AssertRefused(l1, chainId, Certified(chainId, Headers(l1, 1, 3, genesis, l1Hash: new Hash256(Hashes.Sha256d("not an L1 block"u8))), Set),
                L1RefuseReason.BadL1Reference, "which is not this chain's block there");
            AssertRefused(l1, chainId, Certified(chainId, Headers(l1, 1, 3, genesis, l1Height: l1.Height + 1, l1Hash: Hash256.Zero), Set),
                L1RefuseReason.BadL1Reference, $"not below this one ({l1.Height + 1})");

            // The deployer was the whole set at the deployment: once the others joined, a batch it certifies there
            // alone is refused as soon as that L1 block is older than the bound, however valid the signature.
            var deployerAlone = Certified(chainId, Headers(l1, 1, 3, genesis, l1Height: deployHeight), [StakedChain.Sequencer]);
            l1.Mine((int)l1.Parameters.MaxAnchorL1Age);
            AssertRefused(l1, chainId, deployerAlone, L1RefuseReason.BadL1Reference, $"more than {l1.Parameters.MaxAnchorL1Age} blocks before this one");

            // A batch anchored at a later L1 block fixes the floor: the next one may not go back before it.
            var first = Headers(l1, 1, 3, genesis);
            Assert.True(Post(l1, Certified(chainId, first, Set[1..])).Success);
            AssertRefused(l1, chainId, Certified(chainId, Headers(l1, 4, 2, first[^1].Hash, l1Height: l1.Height - 3), Set),
                L1RefuseReason.BadL1Reference, $"before {first[^1].L1AnchorHeight} of the block before it");
        });
    }

    [Fact]
    public void The_queues_consumed_are_the_last_headers_and_may_not_exceed_the_L1_queues()
    {
        WithFourSequencers(nameof(The_queues_consumed_are_the_last_headers_and_may_not_exceed_the_L1_queues), (l1, chainId) =>
        {
            var genesis = new Hash256(Hashes.Sha256d("genesis"u8));
            AssertRefused(l1, chainId, Certified(chainId, Headers(l1, 1, 3, genesis, processed: new QueueCursor(1, 0)), Set),
                L1RefuseReason.BadQueueCount, "the batch has processed 1 L1 messages; that must be within 0..0");
            AssertRefused(l1, chainId, Certified(chainId, Headers(l1, 1, 3, genesis, processed: new QueueCursor(0, 2)), Set),
                L1RefuseReason.BadQueueCount, "the batch has processed 2 forced transactions; that must be within 0..0");
        });
    }

    [Fact]
    public void A_missed_forced_transaction_slashes_the_signers_of_the_batch_that_left_it_out_and_nobody_else()
    {
        WithFourSequencers(nameof(A_missed_forced_transaction_slashes_the_signers_of_the_batch_that_left_it_out_and_nobody_else), (l1, chainId) =>
        {
            var genesis = new Hash256(Hashes.Sha256d("genesis"u8));
            var oldL1 = l1.Height;
            var forced = Chain.Transactions.Transaction.Sign(Chain.Transactions.Transaction.CreateUnsigned(Chain.Transactions.TransactionType.Transfer, chainId, 0,
                TestKeys.Outsider("x"), Amount.FromSat(1), 1, 0, 21_000, null), Outsider);
            Assert.True(l1.Execute(Outsider, new ForceIncludeCall(chainId, forced.ToBytes())).Success);
            var deadline = l1.Height + l1.Parameters.ForcedInclusionDeadline;
            // Three of the four certify a batch that still references the L1 block before the forced transaction: it leaves it out.
            Assert.True(Post(l1, Certified(chainId, Headers(l1, 1, 3, genesis, l1Height: oldL1), Set[1..])).Success);
            var before = Set.ToDictionary(k => k, k => StakedChain.StakeOf(l1, chainId, TestKeys.AddressOf(k)).Bonded);
            while (l1.Height < deadline)
                l1.Mine();

            Assert.Equal(before[Set[0]], StakedChain.StakeOf(l1, chainId, StakedChain.SequencerAddress).Bonded);
            foreach (var key in Set[1..])
                Assert.Equal(before[key] - before[key].PercentFloor(l1.Parameters.ForcedInclusionSlashPercent), StakedChain.StakeOf(l1, chainId, TestKeys.AddressOf(key)).Bonded);
            Assert.Equal(1UL, Record(l1, chainId).ForcedSettled);
        });
    }

    [Fact]
    public void Malformed_anchor_payloads_fail_with_a_reason_and_change_nothing()
    {
        WithFourSequencers(nameof(Malformed_anchor_payloads_fail_with_a_reason_and_change_nothing), (l1, chainId) =>
        {
            var valid = Certified(chainId, Headers(l1, 1, 3, new Hash256(Hashes.Sha256d("genesis"u8))), Set).ToBytes();
            var noHeaders = new SpanWriter(16);
            noHeaders.WriteUInt64(chainId);
            noHeaders.WriteCompactSize(0);
            foreach (var payload in new[] { valid[..^1], [.. valid, 0], noHeaders.ToArray(), valid[..40] })
            {
                var raw = L1Transaction.Sign(L1TransactionKind.Anchor, l1.Chain.PendingNonce(TestKeys.AddressOf(Outsider)), l1.Parameters.FeeFor(L1TransactionKind.Anchor, payload.Length),
                    payload, Outsider, L1Node.Network);
                Assert.Null(l1.Chain.Submit(raw));
                l1.Mine();
                var receipt = l1.ReceiptOf(raw.Id);
                Assert.False(receipt.Success);
                Assert.Equal(L1RefuseReason.Malformed, receipt.Refusal!.Reason);
                Assert.StartsWith("malformed payload", receipt.Error, StringComparison.Ordinal);
            }
            Assert.Equal(0UL, Record(l1, chainId).AnchorCount);
        });
    }
}
