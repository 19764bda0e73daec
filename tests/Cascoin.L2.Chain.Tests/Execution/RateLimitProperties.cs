using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Execution;

/// <summary>
/// SPEC §9 property 14: no address exceeds its per-block rate limit (100 transactions, 500 for a HAT
/// score above 70). The property uses small limits (3 and 7) so a case signs tens of transactions, not
/// thousands; one test runs the real defaults, and one shows an importing node refusing a block over the limit.
/// A sender's first transaction over the limit (and any other with that nonce) is refused as rate-limited;
/// its later nonces then cannot follow and are refused as nonce-too-high (the nonce is checked first).
/// </summary>
public sealed class RateLimitProperties
{
    private const long Funds = 100 * Amount.SatPerCas;

    private static readonly ChainParameters Small = TestChains.Default with { RateLimitPerBlock = 3, HighScoreRateLimit = 7 };

    private static readonly byte[] Scores = [0, 1, 50, 69, 70, 71, 80, 81, 100];

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 200)]
    public void No_sender_gets_more_than_its_rate_limit_and_the_excess_is_refused_as_rate_limited(Seed seed)
    {
        var random = new Random(seed.Value);
        var state = new MemoryState();
        var senders = Enumerable.Range(0, random.Next(1, 6)).Select(i => TestKeys.Key(200 + i)).ToList();
        var offered = new Dictionary<Address, List<Transaction>>();
        var queues = new List<Queue<Transaction>>();
        foreach (var key in senders)
        {
            var address = TestKeys.AddressOf(key);
            var score = random.Next(3) == 0 ? (byte)random.Next(0, 101) : Scores[random.Next(Scores.Length)];
            state.Set(address, Accounts.Funded(Funds, hatScore: score));
            var limit = Small.RateLimitFor(score);
            var count = random.Next(0, limit + 5);
            Transaction Make(int nonce) => Tx.Transfer(key, (ulong)nonce, TestKeys.AddressOf(senders[random.Next(senders.Count)]), random.Next(0, 1_000));
            var consecutive = Enumerable.Range(0, count).Select(Make).ToList();
            offered[address] = consecutive;
            // Over the limit, the sender also tries other transactions with the first refused nonce.
            var retries = count > limit ? Enumerable.Range(0, random.Next(0, 3)).Select(_ => Make(limit)) : [];
            queues.Add(new Queue<Transaction>(consecutive.Concat(retries)));
        }
        var interleaved = Interleave(queues, random);

        // Block 1: everything offered, in a random interleaving that keeps each sender's order.
        var block = new BlockExecution(Small, 1, 10, TestKeys.AddressAt(100), [], state.Get);
        var applied = new Dictionary<Address, int>();
        foreach (var transaction in interleaved)
        {
            var sender = transaction.Sender!.Value;
            var limit = Small.RateLimitFor(state.Get(sender).HatScore);
            var rejection = block.TryApply(transaction);
            applied.TryGetValue(sender, out var count);
            if (rejection is null)
            {
                applied[sender] = count + 1;
                Assert.True(count + 1 <= limit, $"{sender} got {count + 1} transactions, limit {limit}");
                continue;
            }
            Assert.Equal(limit, count);
            // The next nonce is refused for the rate limit; later nonces cannot follow a refused one.
            if (transaction.Nonce == (ulong)limit)
                Assert.Equal(TxRejectReason.RateLimited, rejection.Reason);
            else
                Assert.Equal(TxRejectReason.NonceTooHigh, rejection.Reason);
        }
        foreach (var (sender, consecutive) in offered)
        {
            var limit = Small.RateLimitFor(state.Get(sender).HatScore);
            Assert.Equal(Math.Min(consecutive.Count, limit), applied.GetValueOrDefault(sender));
            Assert.Equal((ulong)Math.Min(consecutive.Count, limit), block.GetAccount(sender).Nonce);
        }
        var outcome = block.Finish();
        Assert.Equal(applied.Values.Sum(), outcome.Receipts.Count);
        var scoresBefore = offered.Keys.ToDictionary(a => a, a => (int)state.Get(a).HatScore);
        var firstLimits = scoresBefore.ToDictionary(p => p.Key, p => Small.RateLimitFor((byte)p.Value));
        state.Apply(outcome.Changes);

        // Block 2: the allowance is per block; the refused transactions apply now, up to the limit of the
        // sender's score now (filling the allowance of block 1 cost reputation: doc/reputation.md).
        var next = new BlockExecution(Small, 2, 10, TestKeys.AddressAt(100), [], state.Get);
        var leftOver = offered.Select(o => new Queue<Transaction>(o.Value.Skip(firstLimits[o.Key]))).ToList();
        var appliedNext = new Dictionary<Address, int>();
        foreach (var transaction in Interleave(leftOver, random))
        {
            var sender = transaction.Sender!.Value;
            var limit = Small.RateLimitFor(state.Get(sender).HatScore);
            appliedNext.TryGetValue(sender, out var count);
            var rejection = next.TryApply(transaction);
            if (rejection is null)
                appliedNext[sender] = count + 1;
            else
                Assert.Equal(transaction.Nonce == (ulong)(firstLimits[sender] + limit) ? TxRejectReason.RateLimited : TxRejectReason.NonceTooHigh, rejection.Reason);
        }
        foreach (var (sender, consecutive) in offered)
        {
            var limit = Small.RateLimitFor(state.Get(sender).HatScore);
            Assert.Equal(Math.Min(Math.Max(consecutive.Count - firstLimits[sender], 0), limit), appliedNext.GetValueOrDefault(sender));
            // A sender that filled its allowance lost 10 points for it (doc/reputation.md); one that did not kept its score.
            var filled = consecutive.Count >= firstLimits[sender];
            Assert.Equal(filled ? Math.Max(0, scoresBefore[sender] - 10) : scoresBefore[sender], state.Get(sender).HatScore);
        }
    }

    [Fact]
    public void The_default_limits_are_100_and_500_above_score_70()
    {
        var parameters = TestChains.Default;
        Assert.Equal(100, parameters.RateLimitFor(0));
        Assert.Equal(100, parameters.RateLimitFor(70));
        Assert.Equal(500, parameters.RateLimitFor(71));
        Assert.Equal(500, parameters.RateLimitFor(100));

        var state = new MemoryState();
        var cases = new (PrivateKey Key, byte Score, int Offered, int Expected)[]
        {
            (TestKeys.Key(300), 0, 101, 100),
            (TestKeys.Key(301), 70, 101, 100),
            (TestKeys.Key(302), 71, 501, 500),
        };
        foreach (var (key, score, _, _) in cases)
            state.Set(TestKeys.AddressOf(key), Accounts.Funded(Funds, hatScore: score));
        var block = new BlockExecution(parameters, 1, 10, TestKeys.AddressAt(100), [], state.Get);
        foreach (var (key, _, offered, expected) in cases)
        {
            var outcomes = Enumerable.Range(0, offered).Select(n => block.TryApply(Tx.Transfer(key, (ulong)n, TestKeys.AddressAt(2), 1))).ToList();
            Assert.Equal(expected, outcomes.Count(o => o is null));
            Assert.All(outcomes.Skip(expected), o => Assert.Equal(TxRejectReason.RateLimited, o?.Reason));
            Assert.Equal((ulong)expected, block.GetAccount(TestKeys.AddressOf(key)).Nonce);
        }
    }

    [Fact]
    public void A_node_refuses_a_block_that_gives_a_sender_more_than_its_limit()
    {
        var loose = TestChains.Default with { RateLimitPerBlock = 10 };
        var strict = TestChains.Default with { RateLimitPerBlock = 4 };
        var sender = TestKeys.Key(310);
        var sequencer = TestKeys.Key(100);
        var genesis = new GenesisSpec(TestChains.GenesisTime, [new GenesisAllocation(TestKeys.AddressOf(sender), Amount.FromSat(Funds))]);
        using var directory = TestDirectory.Create("chain-rate-limit");
        Block block;
        using (var producer = ChainNode.Open(directory.Combine("producer"), loose))
        {
            producer.Chain.EnsureGenesis(genesis);
            var produced = producer.Chain.Produce(Enumerable.Range(0, 6).Select(n => Tx.Transfer(sender, (ulong)n, TestKeys.AddressAt(2), 1)), TestChains.GenesisTime + 500, sequencer);
            Assert.Empty(produced.Skipped);
            producer.Chain.Commit(produced);
            block = produced.Block;
        }
        using (var validator = ChainNode.Open(directory.Combine("validator"), strict))
        {
            validator.Chain.EnsureGenesis(genesis);
            var rejection = validator.Chain.Import(block, TestChains.GenesisTime + 1_000, new HashSet<Address> { TestKeys.AddressOf(sequencer) });
            Assert.Equal(BlockRejectReason.InvalidTransaction, rejection?.Reason);
            Assert.Contains("transaction 4", rejection!.Message, StringComparison.Ordinal);
            Assert.Contains("rate-limited", rejection.Message, StringComparison.Ordinal);
            Assert.Equal(0UL, validator.Chain.Head.Number);
        }
        directory.Succeeded();
    }

    /// <summary>A random merge of the queues that keeps each queue's order.</summary>
    internal static List<Transaction> Interleave(List<Queue<Transaction>> queues, Random random)
    {
        var result = new List<Transaction>();
        while (queues.Any(q => q.Count > 0))
        {
            var live = queues.Where(q => q.Count > 0).ToList();
            result.Add(live[random.Next(live.Count)].Dequeue());
        }
        return result;
    }
}
