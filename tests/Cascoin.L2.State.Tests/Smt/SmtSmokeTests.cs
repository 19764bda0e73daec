using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using Cascoin.L2.Storage;
using Cascoin.L2.TestKit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.State.Tests.Smt;

public sealed class SmtSmokeTests
{
    [Fact]
    public void Random_batches_match_the_reference_and_every_proof_verifies()
    {
        using var dir = TestDirectory.Create("smt-smoke");
        using var db = NodeDatabase.Open(dir.Path, new DatabaseOptions { SyncWrites = false, BlockCacheBytes = 8 << 20 }, NullLogger.Instance);
        var tree = new SparseMerkleTree(db, new SmtOptions { CacheNodes = 10_000 });
        var random = new Random(7);
        var model = new Dictionary<Hash256, byte[]>();
        var keys = Enumerable.Range(0, 300).Select(_ => RandomHash(random)).ToList();
        for (ulong version = 0; version < 40; version++)
        {
            var changes = new Dictionary<Hash256, byte[]?>();
            for (var i = 0; i < random.Next(1, 40); i++)
            {
                var key = keys[random.Next(keys.Count)];
                changes[key] = random.Next(4) == 0 ? null : [(byte)random.Next(256), (byte)version];
            }
            tree.Apply(version, changes.Select(c => new SmtChange(c.Key, c.Value)));
            foreach (var (key, value) in changes)
            {
                if (value is null)
                    model.Remove(key);
                else
                    model[key] = value;
            }
            Assert.Equal(Convert.ToHexStringLower(ReferenceSmt.Root(model)), tree.Root.ToHex());
        }
        foreach (var key in keys)
        {
            model.TryGetValue(key, out var value);
            Assert.Equal(value, tree.Get(key));
            var proof = tree.GetProof(key);
            Assert.True(SmtVerifier.Verify(tree.Root, key, value, proof));
            Assert.True(SmtVerifier.VerifyCompact(tree.Root, key, value, proof.ToCompact()));
            Assert.False(SmtVerifier.Verify(tree.Root, key, value is null ? [1] : null, proof));
        }
        dir.Succeeded();
    }

    private static Hash256 RandomHash(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }
}
