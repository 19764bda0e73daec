using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Reputation;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Chain.Tests.Reputation;

/// <summary>Reputation inside the state transition: L1 imports, spam, and two nodes that agree on every record.</summary>
public sealed class ReputationExecutionTests
{
    private const long Funds = 100 * Amount.SatPerCas;

    private static readonly ChainParameters Small = TestChains.Default with { RateLimitPerBlock = 3, HighScoreRateLimit = 7 };

    private static Transaction QueueEntry(L1Message message) =>
        new(TransactionType.L1ToL2Message, Tx.ChainId, message.Sequence, message.Recipient, Amount.Zero, 0, 0, 0, message.ToBytes(), default);

    private static L1Message Import(ulong sequence, Address subject, byte score, Address? sender = null, ulong l1Height = 5) =>
        new(L1MessageKind.Message, sequence, sender ?? ReputationImport.Sender, subject, Amount.Zero, ReputationImport.Encode(score), l1Height, Hash256.Zero);

    private static BlockExecution Block(MemoryState state, ulong number, List<L1Message> queue, Dictionary<Hash256, byte[]?>? records = null) =>
        new(Small, number, 10, TestKeys.AddressAt(100), [], state.Get, key => records?.GetValueOrDefault(key),
            (kind, sequence) => kind == L1MessageKind.Message && sequence < (ulong)queue.Count ? queue[(int)sequence] : null);

    [Fact]
    public void An_imported_L1_score_gives_the_discount_and_the_high_tier_and_a_forged_one_gives_nothing()
    {
        var key = TestKeys.Key(400);
        var address = TestKeys.AddressOf(key);
        var state = new MemoryState();
        state.Set(address, Accounts.Funded(Funds));
        var queue = new List<L1Message> { Import(0, address, 90, sender: TestKeys.AddressAt(401)), Import(1, address, 90) };
        var block = Block(state, 1, queue);

        Assert.Null(block.TryApply(QueueEntry(queue[0])));
        Assert.Equal(0, block.GetAccount(address).HatScore);
        Assert.Null(block.TryApply(QueueEntry(queue[1])));
        Assert.Equal(90, block.GetAccount(address).HatScore);

        // The high tier: 7 transactions in the block (3 without the score), each paying half the base fee of 10.
        for (var nonce = 0UL; nonce < 7; nonce++)
            Assert.Null(block.TryApply(Tx.Transfer(key, nonce, TestKeys.AddressAt(2), 1)));
        Assert.Equal(5UL, block.Receipts[^1].GasPrice - Tx.DefaultTip);
        var outcome = block.Finish();
        var record = ReputationRecord.FromBytes(outcome.Records[ReputationKeys.Of(address)]!);
        Assert.Equal((byte)90, record.L1Score);
        Assert.Equal(5UL, record.L1Height);
        Assert.Equal(ReputationEvent.L1Import, record.Recent[0].Event);
        // Filling the 7 cost it: 90 → 80, still the high tier, no longer the discount.
        Assert.Equal(ReputationEvent.RateLimitHit, record.Recent[^1].Event);
        Assert.Equal(80, outcome.Changes[address].HatScore);
    }

    [Fact]
    public void A_spammer_that_fills_its_allowance_falls_to_the_low_tier_in_the_next_block()
    {
        var key = TestKeys.Key(410);
        var address = TestKeys.AddressOf(key);
        var state = new MemoryState();
        state.Set(address, Accounts.Funded(Funds, hatScore: 75));
        var records = new Dictionary<Hash256, byte[]?>();
        var nonce = 0UL;
        int[] expected = [7, 3, 3];
        foreach (var (allowance, number) in expected.Select((a, i) => (a, (ulong)i + 1)))
        {
            var block = Block(state, number, [], records);
            var applied = 0;
            while (block.TryApply(Tx.Transfer(key, nonce, TestKeys.AddressAt(2), 1)) is null)
            {
                nonce++;
                applied++;
            }
            Assert.Equal(allowance, applied);
            var outcome = block.Finish();
            state.Apply(outcome.Changes);
            foreach (var (k, v) in outcome.Records)
                records[k] = v;
        }
        var record = ReputationRecord.FromBytes(records[ReputationKeys.Of(address)]!);
        Assert.Equal(3U, record.LimitHits);
        Assert.Equal(ReputationRules.Neutral - 3 * ReputationRules.RateLimitPenalty, record.Behaviour);
        Assert.Equal(45, state.Get(address).HatScore);
    }

    [Fact]
    public void A_failed_forced_transaction_lowers_its_signer_but_a_replayed_one_does_not()
    {
        var key = TestKeys.Key(420);
        var address = TestKeys.AddressOf(key);
        var state = new MemoryState();
        state.Set(address, Accounts.Funded(1_000, nonce: 1, hatScore: 60));
        var replay = Tx.Transfer(key, 0, TestKeys.AddressAt(2), 1);
        var unaffordable = Tx.Transfer(key, 1, TestKeys.AddressAt(2), 10 * Amount.SatPerCas);
        var forced = new[] { replay, unaffordable }
            .Select((t, i) => new L1Message(L1MessageKind.Forced, (ulong)i, address, address, Amount.Zero, t.ToBytes(), 1, Hash256.Zero)).ToList();
        var block = new BlockExecution(Small, 1, 10, TestKeys.AddressAt(100), [], state.Get, _ => null,
            (kind, sequence) => kind == L1MessageKind.Forced && sequence < 2 ? forced[(int)sequence] : null);
        foreach (var message in forced)
            Assert.Null(block.TryApply(new Transaction(TransactionType.ForcedInclusion, Tx.ChainId, message.Sequence, address, Amount.Zero, 0, 0, 0, message.ToBytes(), default)));
        Assert.All(block.Receipts, r => Assert.Equal(ReceiptStatus.Failed, r.Status));
        var record = ReputationRecord.FromBytes(block.Finish().Records[ReputationKeys.Of(address)]!);
        Assert.Equal(1U, record.Failures);
        Assert.Equal(ReputationRules.Neutral - ReputationRules.FailurePenalty, record.Behaviour);
    }

    [Fact]
    public void Two_nodes_fed_the_same_chain_hold_the_same_reputation_records()
    {
        var spammer = TestKeys.Key(430);
        var honest = TestKeys.Key(431);
        var sequencer = TestKeys.Key(100);
        var parameters = Small with { ReputationEpochBlocks = 2 };
        var genesis = new GenesisSpec(TestChains.GenesisTime,
            [new GenesisAllocation(TestKeys.AddressOf(spammer), Amount.FromSat(Funds), 80), new GenesisAllocation(TestKeys.AddressOf(honest), Amount.FromSat(Funds), 40)]);
        using var directory = TestDirectory.Create("chain-reputation-agree");
        using var producer = ChainNode.Open(directory.Combine("producer"), parameters);
        using var validator = ChainNode.Open(directory.Combine("validator"), parameters);
        producer.Chain.EnsureGenesis(genesis);
        validator.Chain.EnsureGenesis(genesis);
        var (spamNonce, honestNonce) = (0UL, 0UL);
        for (var number = 1UL; number <= 8; number++)
        {
            var transactions = Enumerable.Range(0, 9).Select(_ => Tx.Transfer(spammer, spamNonce++, TestKeys.AddressAt(2), 1))
                .Append(Tx.Transfer(honest, honestNonce++, number % 2 == 0 ? TestKeys.AddressOf(honest) : TestKeys.AddressAt(3), 1)).ToList();
            var time = TestChains.GenesisTime + number * 500;
            var produced = producer.Chain.Produce(transactions, time, sequencer);
            spamNonce -= (ulong)produced.Skipped.Count(s => s.Transaction.Sender == TestKeys.AddressOf(spammer));
            producer.Chain.Commit(produced);
            Assert.Null(validator.Chain.Import(produced.Block, time + 100, new HashSet<Address> { TestKeys.AddressOf(sequencer) }));
        }
        Assert.Equal(producer.Chain.Head.StateRoot, validator.Chain.Head.StateRoot);
        foreach (var key in new[] { spammer, honest })
        {
            var recordKey = ReputationKeys.Of(TestKeys.AddressOf(key));
            Assert.NotNull(producer.Chain.GetRecord(recordKey));
            Assert.Equal(producer.Chain.GetRecord(recordKey), validator.Chain.GetRecord(recordKey));
        }
        var spam = ReputationRecord.FromBytes(producer.Chain.GetRecord(ReputationKeys.Of(TestKeys.AddressOf(spammer)))!);
        Assert.True(spam.Behaviour < ReputationRules.Neutral, $"the spammer's behaviour is {spam.Behaviour}");
        Assert.True(producer.Chain.GetAccount(TestKeys.AddressOf(spammer)).HatScore < 80);
    }
}
