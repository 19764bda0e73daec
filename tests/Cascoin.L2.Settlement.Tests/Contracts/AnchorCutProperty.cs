using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;
using FsCheck.Xunit;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>
/// The monitor's anchor cut (estimated from raw sizes and the last compression ratio, then built): for
/// runs of blocks of random sizes, cut again and again by one cutter as a backlog drains, each anchor
/// is a prefix of what is left, fits the batch size, and leaves little room: it fills 85 % of the
/// batch, or a quarter more blocks would not have fit.
/// </summary>
public sealed class AnchorCutProperty
{
    private static readonly PrivateKey[] Keys = Enumerable.Range(0, 16).Select(TestKeys.Key).ToArray();

    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 25)]
    public void Each_anchor_is_a_prefix_that_fits_and_nearly_fills_the_batch(Seed seed)
    {
        var random = new Random(seed.Value);
        var maxBytes = random.Next(4 * 1024, 48 * 1024);
        var blocks = Blocks(random, random.Next(5, 60));
        var cut = new AnchorCut();
        for (var start = 0; start < blocks.Count;)
        {
            var left = blocks.Skip(start).ToList();
            var call = cut.Of(1, left, maxBytes);
            var count = call.Headers.Count;
            Assert.Equal(left.Take(count).Select(b => b.Header.Hash), call.Headers.Select(h => h.Hash));
            Assert.True(call.ToBytes().Length <= maxBytes || count == 1, $"an anchor of {count} blocks is {call.ToBytes().Length} bytes, the limit {maxBytes}");
            var more = count + count / 4 + 1;
            if (more <= left.Count && call.ToBytes().Length < maxBytes * 0.85)
                Assert.True(AnchorCall.Of(1, left.Take(more).ToList()).ToBytes().Length > maxBytes,
                    $"{more} blocks would have fit where the cut took {count} ({call.ToBytes().Length} of {maxBytes} bytes)");
            start += count;
        }
    }

    /// <summary>Blocks of 0..40 signed transfers each, chained by hash and parent certificate, each with a 3-signature certificate.</summary>
    private static List<Block> Blocks(Random random, int count)
    {
        var blocks = new List<Block>();
        var parent = Hash256.Zero;
        var parentCommit = CommitCertificate.Empty;
        var nonces = new ulong[Keys.Length];
        for (var number = 1UL; number <= (ulong)count; number++)
        {
            var body = Enumerable.Range(0, random.Next(0, 41)).Select(_ =>
            {
                var from = random.Next(Keys.Length);
                var unsigned = Transaction.CreateUnsigned(TransactionType.Transfer, 1, nonces[from]++, TestKeys.AddressOf(Keys[random.Next(Keys.Length)]),
                    Amount.FromSat(random.Next(1, 1_000_000)), 20, 1, IntrinsicGas.Base);
                return Transaction.Sign(unsigned, Keys[from]);
            }).ToList();
            var header = new BlockHeader(number, parent, Hash(random), MerkleRoot.Compute(body.Select(t => t.Id).ToList()), Hash(random), Hash256.Zero,
                TestKeys.AddressOf(Keys[0]), 1_767_225_600_000 + number * 100, 30_000_000, (ulong)body.Count * 21_000, 10, number, Hash(random),
                default, parentCommit.Hash);
            var certificate = Keys.Take(3).Select(k => Block.Seal(1, header, k)).ToList();
            blocks.Add(new Block(header, body, certificate, 0, parentCommit));
            parentCommit = new CommitCertificate(0, certificate);
            parent = header.Hash;
        }
        return blocks;
    }

    private static Hash256 Hash(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
