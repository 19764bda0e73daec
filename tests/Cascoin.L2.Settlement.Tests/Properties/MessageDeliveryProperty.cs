using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;
using FsCheck.Xunit;

namespace Cascoin.L2.Settlement.Tests.Properties;

/// <summary>A long-running chain every case of <see cref="MessageDeliveryProperty"/> adds messages to; its users hold L2 funds for fees.</summary>
public sealed class MessagingChainFixture : IDisposable
{
    public MessagingChainFixture()
    {
        Kit = SettlementKit.Create(nameof(MessageDeliveryProperty));
        foreach (var user in Kit.Users)
            Kit.Deposit(user, Amount.FromCas(20));
        Kit.MineL1();
        Kit.ProduceL2();
    }

    internal SettlementKit Kit { get; }

    public void Dispose()
    {
        Kit.Passed();
        Kit.Dispose();
    }
}

/// <summary>
/// SPEC §9 property 9: a cross-layer message arrives byte-identical, exactly once. L1→L2 messages are
/// delivered by the next L2 blocks in queue order, each once, with the bytes the L1 holds; an L2→L1
/// message executes on L1 only after its anchor's challenge period, with its exact bytes, and only once.
/// </summary>
public sealed class MessageDeliveryProperty(MessagingChainFixture fixture) : IClassFixture<MessagingChainFixture>
{
    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 300)];
        random.NextBytes(bytes);
        return bytes;
    }

    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 100)]
    public void Messages_cross_each_way_byte_identical_and_exactly_once(Seed seed)
    {
        var random = new Random(seed.Value);
        var kit = fixture.Kit;
        var toL2 = Enumerable.Range(0, random.Next(0, 4))
            .Select(i => (Sender: kit.Users[random.Next(kit.Users.Count)], Target: TestKeys.Outsider($"l2-target-{random.Next(5)}"), Data: RandomBytes(random)))
            .ToList();
        var toL1 = Enumerable.Range(0, random.Next(1, 3))
            .Select(i => (Sender: kit.Users[random.Next(kit.Users.Count)], Target: TestKeys.Outsider($"l1-target-{random.Next(5)}"), Data: RandomBytes(random)))
            .ToList();

        // L1 → L2: queued on L1 (in the order the block mined them), delivered by the L2 in queue order.
        var firstSequence = kit.Record.L1MessageCount;
        var submitted = toL2.ToDictionary(m => kit.L1.Submit(m.Sender, new SendMessageCall(kit.ChainId, m.Target, m.Data)).Id);
        var firstBlock = kit.L2.Head.Number + 1;
        kit.MineL1();
        kit.ProduceL2(random.Next(1, 4));
        var state = kit.L1.Chain.StateAtTip();
        var queuedIds = new List<Hash256>();
        for (var sequence = firstSequence; sequence < firstSequence + (ulong)toL2.Count; sequence++)
        {
            var queued = state.GetL1Message(kit.ChainId, sequence)!;
            var (sender, target, data) = submitted[queued.L1Transaction];
            queuedIds.Add(queued.L1Transaction);
            Assert.Equal(data, queued.Data);
            Assert.Equal(TestKeys.AddressOf(sender), queued.Sender);
            Assert.Equal(target, queued.Recipient);
            Assert.Equal(queued.ToBytes(), kit.L2.GetRecord(BridgeKeys.Delivered(sequence)));
        }
        Assert.Equal(submitted.Keys.Order(), queuedIds.Order());
        var delivered = Enumerable.Range((int)firstBlock, (int)(kit.L2.Head.Number - firstBlock + 1))
            .SelectMany(n => kit.L2.GetBlock((ulong)n)!.Transactions)
            .Where(t => t.Type == TransactionType.L1ToL2Message)
            .Select(t => L1Message.FromBytes(t.Data).Sequence)
            .ToList();
        Assert.Equal(Enumerable.Range(0, toL2.Count).Select(i => firstSequence + (ulong)i), delivered);
        Assert.Equal(firstSequence + (ulong)toL2.Count, kit.L2.Cursor.L1Messages);

        // L2 → L1: recorded on L2, executed on L1 after the challenge period, once.
        var sent = toL1.Select(m => (Message: m, Transaction: kit.SendL2(m.Sender, TransactionType.L2ToL1Message, m.Target, Amount.Zero, m.Data))).ToList();
        var anchor = kit.AnchorHead();
        var executor = kit.Users[0];
        var early = kit.Execute(executor, kit.ExecuteCall(sent[0].Transaction.Id));
        Assert.False(early.Success);
        Assert.Equal($"anchor {anchor.Index} is final at L1 height {anchor.PostedHeight + kit.Record.ChallengePeriod} (now {kit.L1.Height})", early.Error);
        kit.WaitFinal(anchor);
        foreach (var ((sender, target, data), transaction) in sent)
        {
            var call = kit.ExecuteCall(transaction.Id);
            var executed = kit.Execute(executor, call);
            Assert.True(executed.Success, executed.Error);
            Assert.Equal($"message {transaction.Id} from L2 {TestKeys.AddressOf(sender)} to {target}: {Convert.ToHexStringLower(data)}", executed.Event);
            var again = kit.Execute(executor, call);
            Assert.False(again.Success);
            Assert.Equal($"message {transaction.Id} was already executed", again.Error);
            Assert.Null(again.Event);
        }
    }
}
