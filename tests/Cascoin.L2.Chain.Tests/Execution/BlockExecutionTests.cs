using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Chain.Tests.Execution;

/// <summary>SPEC §5: what one transaction does to the accounts, and every way a block refuses one.</summary>
public sealed class BlockExecutionTests
{
    private const long Funds = 10 * Amount.SatPerCas;
    private const ulong BaseFee = 10;
    private const ulong Number = 7;

    private static readonly PrivateKey AliceKey = TestKeys.Key(1);
    private static readonly Address Alice = TestKeys.AddressOf(AliceKey);
    private static readonly Address Bob = TestKeys.AddressAt(2);
    private static readonly Address Producer = TestKeys.AddressAt(100);

    private readonly MemoryState _state = new();

    public BlockExecutionTests()
    {
        _state.Set(Alice, Accounts.Funded(Funds));
    }

    private BlockExecution NewBlock(ChainParameters? parameters = null, IReadOnlyList<FeeSharer>? others = null, ulong baseFee = BaseFee) =>
        new(parameters ?? TestChains.Default, Number, baseFee, Producer, others ?? [], _state.Get);

    /// <summary>Applies a transaction that must be refused and checks it left no trace.</summary>
    private static void AssertRefused(BlockExecution block, Transaction transaction, TxRejectReason reason)
    {
        var sender = transaction.Sender;
        var before = sender is { } s ? block.GetAccount(s) : default;
        var gas = block.GasUsed;
        var receipts = block.Receipts.Count;
        var rejection = block.TryApply(transaction);
        Assert.Equal(reason, rejection?.Reason);
        Assert.Equal(gas, block.GasUsed);
        Assert.Equal(receipts, block.Receipts.Count);
        if (sender is { } address)
            Assert.Equal(before, block.GetAccount(address));
    }

    [Fact]
    public void A_transfer_moves_the_value_and_charges_21000_gas_at_base_fee_plus_tip()
    {
        var block = NewBlock();
        var transaction = Tx.Transfer(AliceKey, 0, Bob, 1_000_000, maxFee: 20, tip: 2, gasLimit: 60_000);
        Assert.Null(block.TryApply(transaction));
        const long fee = 21_000 * 12;
        Assert.Equal(Accounts.Funded(Funds - 1_000_000 - fee, nonce: 1) with { LastActivity = Number }, block.GetAccount(Alice));
        Assert.Equal(Amount.FromSat(1_000_000), block.GetAccount(Bob).Balance);
        Assert.Equal(Number, block.GetAccount(Bob).LastActivity);
        Assert.Equal(0UL, block.GetAccount(Bob).Nonce);
        var receipt = Assert.Single(block.Receipts);
        Assert.Equal(new Receipt(transaction.Id, ReceiptStatus.Success, 21_000, 21_000, 12, Amount.FromSat(fee)), receipt);
        Assert.Equal(21_000UL, block.GasUsed);

        var outcome = block.Finish();
        Assert.Equal(Amount.FromSat(fee), outcome.Fees.Total);
        Assert.Equal(Amount.Zero, outcome.Withdrawn);
        Assert.Equal(new HashSet<Address> { Alice, Bob, Producer }, outcome.Changes.Keys.ToHashSet());
        // Value is conserved: what left Alice is Bob's value, the producer's share and the burn.
        Assert.Equal(Amount.FromSat(1_000_000 + fee), outcome.Changes[Bob].Balance + outcome.Changes[Producer].Balance + outcome.Fees.Burned);
    }

    [Fact]
    public void Each_applied_transaction_increments_the_nonce_and_receipts_accumulate_gas()
    {
        var block = NewBlock();
        for (ulong nonce = 0; nonce < 3; nonce++)
            Assert.Null(block.TryApply(Tx.Transfer(AliceKey, nonce, Bob, 1)));
        Assert.Equal(3UL, block.GetAccount(Alice).Nonce);
        Assert.Equal(new ulong[] { 21_000, 42_000, 63_000 }, block.Receipts.Select(r => r.CumulativeGasUsed));
        Assert.Equal(Amount.FromSat(3), block.GetAccount(Bob).Balance);
    }

    [Fact]
    public void A_nonce_below_or_above_the_accounts_is_refused()
    {
        _state.Set(Alice, Accounts.Funded(Funds, nonce: 5));
        var block = NewBlock();
        AssertRefused(block, Tx.Transfer(AliceKey, 4, Bob, 1), TxRejectReason.NonceTooLow);
        AssertRefused(block, Tx.Transfer(AliceKey, 6, Bob, 1), TxRejectReason.NonceTooHigh);
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 5, Bob, 1)));
        // The same transaction again is now a replay.
        AssertRefused(block, Tx.Transfer(AliceKey, 5, Bob, 1), TxRejectReason.NonceTooLow);
    }

    [Fact]
    public void The_balance_must_cover_value_plus_gas_limit_times_max_fee()
    {
        const long value = Funds - 21_000 * 20;
        var block = NewBlock();
        // One sat short of value + gas limit × max fee, although the fee actually charged (price 12) would fit.
        AssertRefused(block, Tx.Transfer(AliceKey, 0, Bob, value + 1, maxFee: 20), TxRejectReason.InsufficientFunds);
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 0, Bob, value, maxFee: 20)));
        Assert.Equal(Amount.FromSat(21_000 * (20 - 12)), block.GetAccount(Alice).Balance);
        // An unknown sender has nothing.
        AssertRefused(block, Tx.Transfer(TestKeys.Key(3), 0, Bob, 0), TxRejectReason.InsufficientFunds);
    }

    [Fact]
    public void A_max_fee_below_the_base_fee_is_refused()
    {
        var block = NewBlock(baseFee: 10);
        AssertRefused(block, Tx.Transfer(AliceKey, 0, Bob, 1, maxFee: 9, tip: 0), TxRejectReason.FeeTooLow);
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 0, Bob, 1, maxFee: 10, tip: 5)));
        // Capped by the max fee: no tip is left.
        Assert.Equal(10UL, block.Receipts[0].GasPrice);
    }

    [Fact]
    public void A_gas_limit_below_the_intrinsic_gas_is_refused()
    {
        var block = NewBlock();
        AssertRefused(block, Tx.Transfer(AliceKey, 0, Bob, 1, gasLimit: 20_999), TxRejectReason.GasLimitTooLow);
        AssertRefused(block, Tx.Transfer(AliceKey, 0, Bob, 1, gasLimit: 21_000, data: [1]), TxRejectReason.GasLimitTooLow);
        // Calldata is charged: 21,000 + 16 for one non-zero byte.
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 0, Bob, 1, gasLimit: 21_016, data: [1])));
        Assert.Equal(21_016UL, block.GasUsed);
    }

    [Theory]
    [InlineData(TransactionType.ContractDeploy)]
    [InlineData(TransactionType.ContractCall)]
    [InlineData(TransactionType.Deposit)]
    [InlineData(TransactionType.L1ToL2Message)]
    [InlineData(TransactionType.ForcedInclusion)]
    public void Types_without_an_implementation_are_refused_as_unsupported(TransactionType type)
    {
        var block = NewBlock();
        AssertRefused(block, Tx.Make(type, AliceKey, 0, Bob, 1, 20, 2, 100_000), TxRejectReason.UnsupportedType);
    }

    [Fact]
    public void An_L2_to_L1_message_is_recorded_for_the_settlement_layer_and_carries_no_value()
    {
        var block = NewBlock();
        AssertRefused(block, Tx.Make(TransactionType.L2ToL1Message, AliceKey, 0, Bob, 1, 20, 2, 100_000), TxRejectReason.Malformed);
        var message = Tx.Make(TransactionType.L2ToL1Message, AliceKey, 0, Bob, 0, 20, 2, 100_000, data: [1, 2, 3]);
        Assert.Null(block.TryApply(message));
        var outcome = block.Finish();
        var record = Cascoin.L2.Chain.Bridge.L2MessageRecord.FromBytes(outcome.Records[Cascoin.L2.Chain.Bridge.BridgeKeys.Message(message.Id)]!);
        Assert.Equal(Bob, record.Target);
        Assert.Equal(new byte[] { 1, 2, 3 }, record.Data);
    }

    [Fact]
    public void Wrong_chain_and_bad_signature_are_refused()
    {
        var block = NewBlock();
        AssertRefused(block, Tx.Transfer(AliceKey, 0, Bob, 1, chainId: Tx.ChainId + 1), TxRejectReason.WrongChainId);
        var unsigned = Transaction.CreateUnsigned(TransactionType.Transfer, Tx.ChainId, 0, Bob, Amount.FromSat(1), 20, 2, 21_000);
        AssertRefused(block, unsigned, TxRejectReason.BadSignature);
        Assert.Equal(AccountState.Empty, block.GetAccount(Bob));
    }

    [Fact]
    public void A_transfer_to_oneself_costs_only_the_fee()
    {
        var block = NewBlock();
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 0, Alice, 3 * Amount.SatPerCas, maxFee: 20, tip: 2)));
        var alice = block.GetAccount(Alice);
        Assert.Equal(Amount.FromSat(Funds - 21_000 * 12), alice.Balance);
        Assert.Equal(1UL, alice.Nonce);
        Assert.Equal(Number, alice.LastActivity);
    }

    [Fact]
    public void A_withdrawal_burns_the_value_on_L2_and_reports_it()
    {
        var payee = TestKeys.Outsider(1);
        var block = NewBlock();
        Assert.Null(block.TryApply(Tx.Withdrawal(AliceKey, 0, payee, 2 * Amount.SatPerCas, maxFee: 20, tip: 2)));
        Assert.Null(block.TryApply(Tx.Withdrawal(AliceKey, 1, payee, 5)));
        Assert.Equal(Amount.FromSat(Funds - 2 * Amount.SatPerCas - 5 - 2 * 21_000 * 12), block.GetAccount(Alice).Balance);
        Assert.Equal(AccountState.Empty, block.GetAccount(payee));
        var outcome = block.Finish();
        Assert.Equal(Amount.FromSat(2 * Amount.SatPerCas + 5), outcome.Withdrawn);
        Assert.False(outcome.Changes.ContainsKey(payee));
    }

    [Fact]
    public void A_hat_score_above_80_pays_half_the_base_fee()
    {
        var discounted = TestKeys.Key(4);
        var regular = TestKeys.Key(5);
        _state.Set(TestKeys.AddressOf(discounted), Accounts.Funded(Funds, hatScore: 81));
        _state.Set(TestKeys.AddressOf(regular), Accounts.Funded(Funds, hatScore: 80));
        var block = NewBlock(baseFee: 10);
        // Half of 10 is enough for score 81, not for score 80.
        Assert.Null(block.TryApply(Tx.Transfer(discounted, 0, Bob, 1, maxFee: 5, tip: 0)));
        AssertRefused(block, Tx.Transfer(regular, 0, Bob, 1, maxFee: 5, tip: 0), TxRejectReason.FeeTooLow);
        Assert.Null(block.TryApply(Tx.Transfer(discounted, 1, Bob, 1, maxFee: 20, tip: 2)));
        Assert.Null(block.TryApply(Tx.Transfer(regular, 0, Bob, 1, maxFee: 20, tip: 2)));
        Assert.Equal(new ulong[] { 5, 7, 12 }, block.Receipts.Select(r => r.GasPrice));
        Assert.Equal(Amount.FromSat(Funds - 21_000 * 5 - 21_000 * 7 - 2), block.GetAccount(TestKeys.AddressOf(discounted)).Balance);
    }

    [Fact]
    public void A_single_sequencer_receives_90_percent_of_the_fees()
    {
        var block = NewBlock();
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 0, Bob, 1, maxFee: 20, tip: 2)));
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 1, Bob, 1, maxFee: 13, tip: 1)));
        const long total = 21_000 * 12 + 21_000 * 11;
        var outcome = block.Finish();
        Assert.Equal(total, outcome.Fees.Total.Sat);
        Assert.Equal(total * 9 / 10, outcome.Changes[Producer].Balance.Sat);
        Assert.Equal(total / 10, outcome.Fees.Burned.Sat);
    }

    [Fact]
    public void Other_signers_share_20_percent_and_the_producer_keeps_70()
    {
        var others = new[] { TestKeys.AddressAt(101), TestKeys.AddressAt(102), TestKeys.AddressAt(103) };
        _state.Set(others[0], Accounts.Funded(1_000));
        var block = NewBlock(others: [.. others.Select(a => new FeeSharer(a, 7))]);
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 0, Bob, 1, maxFee: 20, tip: 2)));
        const long total = 21_000 * 12;
        var outcome = block.Finish();
        Assert.Equal(total * 7 / 10, outcome.Changes[Producer].Balance.Sat);
        Assert.Equal(1_000 + total / 5 / 3, outcome.Changes[others[0]].Balance.Sat);
        Assert.Equal(total / 5 / 3, outcome.Changes[others[1]].Balance.Sat);
        Assert.Equal(total / 5 / 3, outcome.Changes[others[2]].Balance.Sat);
        Assert.Equal(total - total * 7 / 10 - 3 * (total / 5 / 3), outcome.Fees.Burned.Sat);
    }

    [Fact]
    public void The_twenty_percent_is_shared_by_weight()
    {
        var heavy = TestKeys.AddressAt(101);
        var light = TestKeys.AddressAt(102);
        var block = NewBlock(others: [new FeeSharer(heavy, 3), new FeeSharer(light, 1)]);
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 0, Bob, 1, maxFee: 20, tip: 2)));
        const long twenty = 21_000 * 12 / 5;
        var outcome = block.Finish();
        Assert.Equal(twenty * 3 / 4, outcome.Changes[heavy].Balance.Sat);
        Assert.Equal(twenty / 4, outcome.Changes[light].Balance.Sat);
    }

    [Fact]
    public void A_block_without_fees_changes_no_sequencer_account()
    {
        var outcome = NewBlock(others: [new FeeSharer(TestKeys.AddressAt(101), 1)]).Finish();
        Assert.Empty(outcome.Changes);
        Assert.Empty(outcome.Receipts);
        Assert.Equal(0UL, outcome.GasUsed);
    }

    [Fact]
    public void The_producer_paying_fees_gets_its_share_back_on_top()
    {
        var producerKey = TestKeys.Key(100);
        _state.Set(Producer, Accounts.Funded(Funds));
        var block = NewBlock();
        Assert.Null(block.TryApply(Tx.Transfer(producerKey, 0, Bob, 1, maxFee: 20, tip: 2)));
        var outcome = block.Finish();
        const long fee = 21_000 * 12;
        Assert.Equal(Funds - 1 - fee + fee * 9 / 10, outcome.Changes[Producer].Balance.Sat);
    }

    [Fact]
    public void Transactions_beyond_the_block_gas_limit_are_refused_as_block_full()
    {
        var parameters = TestChains.Default with { BlockGasLimit = 50_000 };
        var block = NewBlock(parameters);
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 0, Bob, 1)));
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 1, Bob, 1)));
        AssertRefused(block, Tx.Transfer(AliceKey, 2, Bob, 1), TxRejectReason.BlockFull);
        Assert.Equal(42_000UL, block.GasUsed);
    }

    [Fact]
    public void A_credit_beyond_the_money_supply_is_refused()
    {
        _state.Set(Bob, Accounts.Funded(Amount.MaxMoneySat - 5));
        var block = NewBlock();
        AssertRefused(block, Tx.Transfer(AliceKey, 0, Bob, 6), TxRejectReason.Malformed);
        Assert.Equal(Amount.FromSat(Amount.MaxMoneySat - 5), block.GetAccount(Bob).Balance);
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 0, Bob, 5)));
        Assert.Equal(Amount.MaxMoney, block.GetAccount(Bob).Balance);
    }

    [Fact]
    public void A_finished_block_takes_no_more_transactions()
    {
        var block = NewBlock();
        block.Finish();
        Assert.Throws<InvalidOperationException>(() => block.TryApply(Tx.Transfer(AliceKey, 0, Bob, 1)));
        Assert.Throws<InvalidOperationException>(() => block.Finish());
    }

    [Fact]
    public void Execution_reads_the_parent_state_and_never_writes_it()
    {
        var before = new Dictionary<Address, AccountState>(_state.Accounts);
        var block = NewBlock();
        Assert.Null(block.TryApply(Tx.Transfer(AliceKey, 0, Bob, 1)));
        block.Finish();
        Assert.Equal(before, _state.Accounts);
    }

    [Theory]
    [InlineData(4UL, false)]
    [InlineData(5UL, true)]
    [InlineData(9UL, true)]
    public void A_deposit_is_taken_only_up_to_the_blocks_L1_anchor_height(ulong anchorHeight, bool accepted)
    {
        var deposit = new Bridge.L1Message(Bridge.L1MessageKind.Deposit, 0, Alice, Bob, Amount.FromSat(5_000), [], 5, Hash256.Zero);
        var block = new BlockExecution(TestChains.Default, Number, BaseFee, Producer, [], _state.Get, null,
            (kind, sequence) => kind == Bridge.L1MessageKind.Deposit && sequence == 0 ? deposit : null) { L1AnchorHeight = anchorHeight };
        var system = new Transaction(TransactionType.Deposit, TestChains.Default.ChainId, 0, Bob, deposit.Amount, 0, 0, 0, deposit.ToBytes(), default);

        var rejection = block.TryApply(system);

        Assert.Equal(accepted, rejection is null);
        Assert.Equal(accepted ? deposit.Amount : Amount.Zero, block.GetAccount(Bob).Balance);
        if (!accepted)
            Assert.Contains("after the block's L1 anchor 4", rejection!.Message, StringComparison.Ordinal);
    }
}
