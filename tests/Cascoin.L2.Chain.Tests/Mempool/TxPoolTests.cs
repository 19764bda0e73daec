using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Mempool;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Tests.Mempool;

/// <summary>Mempool admission, replacement, limits and eviction, block selection, and cleanup after a block.</summary>
public sealed class TxPoolTests
{
    private const long Funds = 10 * Amount.SatPerCas;
    private const ulong BaseFee = 10;

    private static readonly PrivateKey AliceKey = TestKeys.Key(1);
    private static readonly PrivateKey BobKey = TestKeys.Key(2);
    private static readonly PrivateKey CarolKey = TestKeys.Key(3);
    private static readonly PrivateKey DaveKey = TestKeys.Key(4);
    private static readonly Address Alice = TestKeys.AddressOf(AliceKey);
    private static readonly Address Bob = TestKeys.AddressOf(BobKey);
    private static readonly Address Carol = TestKeys.AddressOf(CarolKey);
    private static readonly Address Dave = TestKeys.AddressOf(DaveKey);
    private static readonly Address Payee = TestKeys.Outsider(1);

    private readonly MemoryState _state = new();

    public TxPoolTests()
    {
        foreach (var address in new[] { Alice, Bob, Carol, Dave })
            _state.Set(address, Accounts.Funded(Funds));
    }

    private static TxPool NewPool(TxPoolOptions? options = null, ChainParameters? parameters = null) =>
        new(parameters ?? TestChains.Default, options ?? new TxPoolOptions());

    private TxRejection? Add(TxPool pool, Transaction transaction) => pool.Add(transaction, _state.Get, BaseFee);

    [Fact]
    public void A_valid_transaction_is_accepted_and_announced()
    {
        var pool = NewPool();
        var announced = new List<Transaction>();
        pool.TransactionAdded += announced.Add;
        var transaction = Tx.FromWire(Tx.Transfer(AliceKey, 0, Payee, 1));
        Assert.Null(Add(pool, transaction));
        Assert.Equal(1, pool.Count);
        Assert.True(pool.Contains(transaction.Id));
        Assert.Same(transaction, pool.Get(transaction.Id));
        Assert.Same(transaction, Assert.Single(announced));
        Assert.Null(pool.Get(Tx.Transfer(AliceKey, 1, Payee, 1).Id));
    }

    [Fact]
    public void The_same_transaction_twice_is_already_known()
    {
        var pool = NewPool();
        var transaction = Tx.Transfer(AliceKey, 0, Payee, 1);
        Assert.Null(Add(pool, transaction));
        Assert.Equal(TxRejectReason.AlreadyKnown, Add(pool, Tx.FromWire(transaction))?.Reason);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Stateless_and_fee_rules_apply_before_anything_is_held()
    {
        var pool = NewPool();
        Assert.Equal(TxRejectReason.WrongChainId, Add(pool, Tx.Transfer(AliceKey, 0, Payee, 1, chainId: 99))?.Reason);
        Assert.Equal(TxRejectReason.UnsupportedType, Add(pool, Tx.Make(TransactionType.ContractDeploy, AliceKey, 0, Payee, 1, 20, 2, 50_000))?.Reason);
        Assert.Equal(TxRejectReason.FeeTooLow, Add(pool, Tx.Transfer(AliceKey, 0, Payee, 1, maxFee: BaseFee - 1, tip: 0))?.Reason);
        Assert.Equal(0, pool.Count);
        // A sender above score 80 pays half the base fee, so half is enough.
        _state.Set(Alice, Accounts.Funded(Funds, hatScore: 81));
        Assert.Null(Add(pool, Tx.Transfer(AliceKey, 0, Payee, 1, maxFee: BaseFee / 2, tip: 0)));
    }

    [Fact]
    public void A_nonce_below_the_accounts_is_too_low_and_a_gap_is_too_high()
    {
        _state.Set(Alice, Accounts.Funded(Funds, nonce: 3));
        var pool = NewPool();
        Assert.Equal(TxRejectReason.NonceTooLow, Add(pool, Tx.Transfer(AliceKey, 2, Payee, 1))?.Reason);
        Assert.Equal(TxRejectReason.NonceTooHigh, Add(pool, Tx.Transfer(AliceKey, 4, Payee, 1))?.Reason);
        Assert.Null(Add(pool, Tx.Transfer(AliceKey, 3, Payee, 1)));
        Assert.Null(Add(pool, Tx.Transfer(AliceKey, 4, Payee, 1)));
        Assert.Equal(TxRejectReason.NonceTooHigh, Add(pool, Tx.Transfer(AliceKey, 6, Payee, 1))?.Reason);
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void A_replacement_must_raise_both_fee_caps_by_ten_percent()
    {
        var pool = NewPool();
        var original = Tx.Transfer(AliceKey, 0, Payee, 1, maxFee: 20, tip: 10);
        Assert.Null(Add(pool, original));
        Assert.Equal(TxRejectReason.ReplacementUnderpriced, Add(pool, Tx.Transfer(AliceKey, 0, Payee, 2, maxFee: 21, tip: 11))?.Reason);
        Assert.Equal(TxRejectReason.ReplacementUnderpriced, Add(pool, Tx.Transfer(AliceKey, 0, Payee, 2, maxFee: 100, tip: 10))?.Reason);
        Assert.Equal(TxRejectReason.ReplacementUnderpriced, Add(pool, Tx.Transfer(AliceKey, 0, Payee, 2, maxFee: 21, tip: 21))?.Reason);
        Assert.True(pool.Contains(original.Id));

        var replacement = Tx.Transfer(AliceKey, 0, Payee, 2, maxFee: 22, tip: 11);
        Assert.Null(Add(pool, replacement));
        Assert.False(pool.Contains(original.Id));
        Assert.True(pool.Contains(replacement.Id));
        Assert.Equal(1, pool.Count);
        Assert.Equal(replacement.Size, pool.Bytes);
        Assert.Equal(1UL, pool.PendingNonce(Alice, _state.Get(Alice)));
        // The bump rounds up: 10 % of 11 is 1.1, so the next tip must be at least 13.
        Assert.Equal(TxRejectReason.ReplacementUnderpriced, Add(pool, Tx.Transfer(AliceKey, 0, Payee, 3, maxFee: 30, tip: 12))?.Reason);
        Assert.Null(Add(pool, Tx.Transfer(AliceKey, 0, Payee, 3, maxFee: 30, tip: 13)));
    }

    [Fact]
    public void The_balance_must_cover_this_and_every_pending_transaction()
    {
        var cost = TransactionRules.UpfrontCost(Tx.Transfer(AliceKey, 0, Payee, 1_000))!.Value;
        _state.Set(Alice, Accounts.Funded((cost * 2).Sat + 50_000));
        var pool = NewPool();
        Assert.Null(Add(pool, Tx.Transfer(AliceKey, 0, Payee, 1_000)));
        Assert.Null(Add(pool, Tx.Transfer(AliceKey, 1, Payee, 1_000)));
        Assert.Equal(TxRejectReason.InsufficientFunds, Add(pool, Tx.Transfer(AliceKey, 2, Payee, 1_000))?.Reason);
        // A replacement is counted instead of the transaction it replaces, not on top of it…
        Assert.Null(Add(pool, Tx.Transfer(AliceKey, 1, Payee, 0, maxFee: 22, tip: 3)));
        // …but it still has to fit beside the other pending ones.
        Assert.Equal(TxRejectReason.InsufficientFunds, Add(pool, Tx.Transfer(AliceKey, 1, Payee, 1_000_000, maxFee: 30, tip: 5))?.Reason);
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void A_sender_may_hold_only_its_share_of_the_pool()
    {
        var pool = NewPool(new TxPoolOptions { MaxPerSender = 3 });
        for (ulong nonce = 0; nonce < 3; nonce++)
            Assert.Null(Add(pool, Tx.Transfer(AliceKey, nonce, Payee, 1)));
        Assert.Equal(TxRejectReason.SenderQueueFull, Add(pool, Tx.Transfer(AliceKey, 3, Payee, 1))?.Reason);
        // Replacing one of its transactions is still possible, and other senders are not affected.
        Assert.Null(Add(pool, Tx.Transfer(AliceKey, 2, Payee, 1, maxFee: 40, tip: 5)));
        Assert.Null(Add(pool, Tx.Transfer(BobKey, 0, Payee, 1)));
        Assert.Equal(4, pool.Count);
    }

    [Fact]
    public void A_full_pool_evicts_the_cheapest_tail_for_a_better_paying_transaction_and_refuses_a_cheaper_one()
    {
        var pool = NewPool(new TxPoolOptions { MaxTransactions = 4 });
        var aliceHead = Tx.Transfer(AliceKey, 0, Payee, 1, maxFee: 50, tip: 1);
        var aliceTail = Tx.Transfer(AliceKey, 1, Payee, 1, maxFee: 12, tip: 1);
        var bob = Tx.Transfer(BobKey, 0, Payee, 1, maxFee: 15, tip: 1);
        var carol = Tx.Transfer(CarolKey, 0, Payee, 1, maxFee: 30, tip: 1);
        foreach (var transaction in new[] { aliceHead, aliceTail, bob, carol })
            Assert.Null(Add(pool, transaction));

        // Dave pays less per gas than every tail: refused, nothing evicted.
        Assert.Equal(TxRejectReason.MempoolFull, Add(pool, Tx.Transfer(DaveKey, 0, Payee, 1, maxFee: 12, tip: 1))?.Reason);
        Assert.Equal(4, pool.Count);

        // Dave pays more than the cheapest tail (Alice's second, max fee 12), which goes; her head stays.
        var dave = Tx.Transfer(DaveKey, 0, Payee, 1, maxFee: 13, tip: 1);
        Assert.Null(Add(pool, dave));
        Assert.Equal(4, pool.Count);
        Assert.False(pool.Contains(aliceTail.Id));
        Assert.True(pool.Contains(aliceHead.Id));
        Assert.Equal(1UL, pool.PendingNonce(Alice, _state.Get(Alice)));

        // The next cheapest tail is now Dave's own (13), then Bob's (15): a sender never evicts itself.
        var daveNext = Tx.Transfer(DaveKey, 1, Payee, 1, maxFee: 20, tip: 1);
        Assert.Null(Add(pool, daveNext));
        Assert.False(pool.Contains(bob.Id));
        Assert.True(pool.Contains(dave.Id));
        Assert.Equal(4, pool.Count);
        Assert.All(new[] { aliceHead, carol, dave, daveNext }, t => Assert.True(pool.Contains(t.Id)));
        Assert.Equal(new[] { aliceHead, carol, dave, daveNext }.Sum(t => (long)t.Size), pool.Bytes);
    }

    [Fact]
    public void Selection_orders_by_tip_and_keeps_each_senders_nonces_in_order()
    {
        var pool = NewPool();
        var alice0 = Tx.Transfer(AliceKey, 0, Payee, 1, maxFee: 100, tip: 1);
        var alice1 = Tx.Transfer(AliceKey, 1, Payee, 1, maxFee: 100, tip: 50);
        var bob0 = Tx.Transfer(BobKey, 0, Payee, 1, maxFee: 100, tip: 5);
        var carol0 = Tx.Transfer(CarolKey, 0, Payee, 1, maxFee: 100, tip: 3);
        // Dave offers a tip of 12 but a max fee that leaves only 2 above the base fee.
        var dave0 = Tx.Transfer(DaveKey, 0, Payee, 1, maxFee: BaseFee + 2, tip: BaseFee + 2);
        foreach (var transaction in new[] { alice0, alice1, bob0, carol0, dave0 })
            Assert.Null(Add(pool, transaction));

        var selected = pool.SelectForBlock(BaseFee, _state.Get);
        Assert.Equal(new[] { bob0.Id, carol0.Id, dave0.Id, alice0.Id, alice1.Id }, selected.Select(t => t.Id));
        // What the pool selects is what a block accepts, in that order.
        var block = new BlockExecution(TestChains.Default, 1, BaseFee, TestKeys.AddressAt(100), [], _state.Get);
        Assert.All(selected, t => Assert.Null(block.TryApply(t)));
        // Selection does not remove anything.
        Assert.Equal(5, pool.Count);
    }

    [Fact]
    public void Equal_tips_are_selected_in_arrival_order()
    {
        var pool = NewPool();
        var first = Tx.Transfer(CarolKey, 0, Payee, 1);
        var second = Tx.Transfer(AliceKey, 0, Payee, 1);
        var third = Tx.Transfer(BobKey, 0, Payee, 1);
        foreach (var transaction in new[] { first, second, third })
            Assert.Null(Add(pool, transaction));
        Assert.Equal(new[] { first.Id, second.Id, third.Id }, pool.SelectForBlock(BaseFee, _state.Get).Select(t => t.Id));
    }

    [Fact]
    public void Selection_respects_rate_limits_block_gas_and_the_base_fee()
    {
        var parameters = TestChains.Default with { RateLimitPerBlock = 2, HighScoreRateLimit = 3, BlockGasLimit = 21_000 * 6 };
        _state.Set(Bob, Accounts.Funded(Funds, hatScore: 75));
        var pool = NewPool(parameters: parameters);
        for (ulong nonce = 0; nonce < 4; nonce++)
        {
            Assert.Null(Add(pool, Tx.Transfer(AliceKey, nonce, Payee, 1, tip: 9)));
            Assert.Null(Add(pool, Tx.Transfer(BobKey, nonce, Payee, 1, tip: 5)));
        }
        Assert.Null(Add(pool, Tx.Transfer(CarolKey, 0, Payee, 1, tip: 1)));
        Assert.Null(Add(pool, Tx.Transfer(CarolKey, 1, Payee, 1, tip: 1)));

        var selected = pool.SelectForBlock(BaseFee, _state.Get);
        // Alice 2 (her limit), Bob 3 (score 75), then Carol's first fills the sixth slot of gas.
        Assert.Equal(new[] { Alice, Alice, Bob, Bob, Bob, Carol }, selected.Select(t => t.Sender!.Value));
        Assert.Equal(new ulong[] { 0, 1, 0, 1, 2, 0 }, selected.Select(t => t.Nonce));

        // At a higher base fee the transactions whose max fee (20) no longer covers it, and their successors, wait.
        Assert.Empty(pool.SelectForBlock(21, _state.Get));
    }

    [Fact]
    public void After_a_block_included_and_stale_transactions_go_and_unaffordable_ones_are_dropped()
    {
        var pool = NewPool();
        var alice = Enumerable.Range(0, 4).Select(n => Tx.Transfer(AliceKey, (ulong)n, Payee, 1_000)).ToList();
        var bob = Enumerable.Range(0, 3).Select(n => Tx.Transfer(BobKey, (ulong)n, Payee, 1_000)).ToList();
        var carol = Tx.Transfer(CarolKey, 0, Payee, 1_000);
        foreach (var transaction in alice.Concat(bob).Append(carol))
            Assert.Null(Add(pool, transaction));

        // The block took Alice's first two; Bob spent most of his balance elsewhere (say, a replacement
        // that reached the sequencer first): his nonce advanced by one and two more no longer fit.
        var block = new BlockExecution(TestChains.Default, 1, BaseFee, TestKeys.AddressAt(100), [], _state.Get);
        Assert.Null(block.TryApply(alice[0]));
        Assert.Null(block.TryApply(alice[1]));
        var elsewhere = Tx.Transfer(BobKey, 0, Payee, Funds - 2 * TransactionRules.UpfrontCost(bob[1])!.Value.Sat + 1, maxFee: 10, tip: 0);
        Assert.Null(block.TryApply(elsewhere));
        _state.Apply(block.Finish().Changes);

        pool.RemoveCommitted([alice[0], alice[1], elsewhere], _state.Get);
        Assert.False(pool.Contains(alice[0].Id));
        Assert.False(pool.Contains(alice[1].Id));
        Assert.True(pool.Contains(alice[2].Id));
        Assert.True(pool.Contains(alice[3].Id));
        Assert.False(pool.Contains(bob[0].Id));
        Assert.True(pool.Contains(bob[1].Id));
        Assert.False(pool.Contains(bob[2].Id));
        // Carol sent nothing in the block: untouched.
        Assert.True(pool.Contains(carol.Id));
        Assert.Equal(4, pool.Count);
        Assert.Equal(new[] { alice[2], alice[3], bob[1], carol }.Sum(t => (long)t.Size), pool.Bytes);
        Assert.Equal(4UL, pool.PendingNonce(Alice, _state.Get(Alice)));
        Assert.Equal(2UL, pool.PendingNonce(Bob, _state.Get(Bob)));
        Assert.Equal(1UL, pool.PendingNonce(Carol, _state.Get(Carol)));
    }

    [Fact]
    public void Pending_nonce_counts_the_queue_and_keeps_it_when_the_account_reads_older()
    {
        var pool = NewPool();
        Assert.Equal(0UL, pool.PendingNonce(Alice, _state.Get(Alice)));
        Assert.Equal(7UL, pool.PendingNonce(Dave, Accounts.Funded(1, nonce: 7)));
        for (ulong nonce = 0; nonce < 3; nonce++)
            Assert.Null(Add(pool, Tx.Transfer(AliceKey, nonce, Payee, 1)));
        Assert.Equal(3UL, pool.PendingNonce(Alice, _state.Get(Alice)));
        // One of them is in a block: the account's nonce is 1, two remain pending.
        Assert.Equal(3UL, pool.PendingNonce(Alice, Accounts.Funded(Funds, nonce: 1)));
        Assert.Equal(2, pool.Count);
        // An account read before the block (or a revert) is below the queue's first nonce: that
        // must never empty the queue (a stale read did, and lost a sender's transactions); the
        // queue just cannot run until the missing nonce is back.
        Assert.Equal(3UL, pool.PendingNonce(Alice, Accounts.Funded(Funds, nonce: 0)));
        Assert.Equal(2, pool.Count);
        Assert.Empty(pool.SelectForBlock(10, _ => Accounts.Funded(Funds, nonce: 0)));
    }

    [Fact]
    public void Removing_senders_returns_their_queues_in_nonce_order_and_keeps_the_others()
    {
        var pool = NewPool();
        var alice = Enumerable.Range(0, 3).Select(n => Tx.Transfer(AliceKey, (ulong)n, Payee, 1)).ToList();
        var bob = Tx.Transfer(BobKey, 0, Payee, 1);
        foreach (var transaction in alice.Append(bob))
            Assert.Null(Add(pool, transaction));

        var removed = pool.RemoveSenders([Alice, Alice, Carol]);

        Assert.Equal(alice.Select(t => t.Id), removed.Select(t => t.Id));
        Assert.Equal(1, pool.Count);
        Assert.Equal(bob.Size, pool.Bytes);
        Assert.True(pool.Contains(bob.Id));
        Assert.Equal(0UL, pool.PendingNonce(Alice, _state.Get(Alice)));
        // After a revert the account's nonce is lower again: a lower nonce is accepted once the queue stepped aside.
        Assert.Null(pool.Add(Tx.Transfer(AliceKey, 0, Payee, 2), _state.Get, BaseFee));
    }

    [Fact]
    public void A_withdrawal_over_the_per_transaction_limit_is_refused_before_the_balance_is_read()
    {
        var pool = NewPool();
        var limit = TestChains.Default.MaxWithdrawalPerTransaction;
        var over = Tx.Make(TransactionType.Withdrawal, AliceKey, 0, Alice, limit.Sat + 1, BaseFee, 1, IntrinsicGas.Base);
        var rejection = pool.Add(over, _ => Accounts.Funded(Amount.MaxMoneySat), BaseFee);
        Assert.Equal(TxRejectReason.OverLimit, rejection?.Reason);
        Assert.StartsWith("withdrawal-over-limit: ", rejection!.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, pool.Count);
    }
}
