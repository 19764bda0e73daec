using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Chain.Execution;

/// <summary>What executing a block's transactions produced: the accounts it changed, receipts, gas and fees.</summary>
public sealed record BlockOutcome(
    IReadOnlyDictionary<Address, AccountState> Changes,
    IReadOnlyList<Receipt> Receipts,
    ulong GasUsed,
    FeeSplit Fees,
    Amount Withdrawn);

/// <summary>
/// The state transition of one block, one transaction at a time (SPEC §5): pure — it reads the
/// parent state through a function and keeps its changes in memory, so the same parent and the
/// same transactions give the same changes, receipts and fees on every machine. The producer
/// offers candidates and skips the refused ones; a validator requires every one to apply.
/// </summary>
public sealed class BlockExecution
{
    private readonly ChainParameters _parameters;
    private readonly Func<Address, AccountState> _parentState;
    private readonly Dictionary<Address, AccountState> _changes = [];
    private readonly Dictionary<Address, int> _sentInBlock = [];
    private readonly List<Receipt> _receipts = [];
    private readonly IReadOnlyList<Address> _otherSequencers;
    private Amount _fees;
    private Amount _withdrawn;
    private bool _finished;

    /// <param name="otherSequencers">The active sequencers besides the producer, who share 20 % of the fees.</param>
    public BlockExecution(ChainParameters parameters, ulong number, ulong baseFee, Address producer,
        IReadOnlyList<Address> otherSequencers, Func<Address, AccountState> parentState)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(otherSequencers);
        ArgumentNullException.ThrowIfNull(parentState);
        _parameters = parameters;
        Number = number;
        BaseFee = baseFee;
        Producer = producer;
        _otherSequencers = otherSequencers;
        _parentState = parentState;
    }

    public ulong Number { get; }

    public ulong BaseFee { get; }

    public Address Producer { get; }

    public ulong GasUsed { get; private set; }

    public IReadOnlyList<Receipt> Receipts => _receipts;

    /// <summary>The account as this block has left it so far.</summary>
    public AccountState GetAccount(Address address) =>
        _changes.TryGetValue(address, out var account) ? account : _parentState(address);

    /// <summary>Applies <paramref name="transaction"/>, or returns why it cannot be part of this block (and changes nothing).</summary>
    public TxRejection? TryApply(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (_finished)
            throw new InvalidOperationException("the block is already finished");
        var stateless = TransactionRules.CheckStateless(transaction, _parameters);
        if (stateless is not null)
            return stateless;
        var sender = transaction.Sender!.Value;
        var intrinsic = IntrinsicGas.Of(transaction);
        if (GasUsed + intrinsic > _parameters.BlockGasLimit)
            return new TxRejection(TxRejectReason.BlockFull, $"block gas used {GasUsed} + {intrinsic} exceeds the limit {_parameters.BlockGasLimit}");

        var account = GetAccount(sender);
        var effectiveBaseFee = FeeMarket.EffectiveBaseFee(BaseFee, account.HatScore, _parameters);
        if (transaction.MaxFeePerGas < effectiveBaseFee)
            return new TxRejection(TxRejectReason.FeeTooLow, $"max fee per gas {transaction.MaxFeePerGas} is below the base fee {effectiveBaseFee}");
        if (transaction.Nonce != account.Nonce)
        {
            return transaction.Nonce < account.Nonce
                ? new TxRejection(TxRejectReason.NonceTooLow, $"nonce too low: account nonce is {account.Nonce}, transaction has {transaction.Nonce}")
                : new TxRejection(TxRejectReason.NonceTooHigh, $"nonce too high: account nonce is {account.Nonce}, transaction has {transaction.Nonce}");
        }
        var limit = _parameters.RateLimitFor(account.HatScore);
        _sentInBlock.TryGetValue(sender, out var sent);
        if (sent >= limit)
            return new TxRejection(TxRejectReason.RateLimited, $"sender {sender} already has {sent} transactions in this block (limit {limit})");
        if (TransactionRules.UpfrontCost(transaction) is not { } upfront || upfront > account.Balance)
            return new TxRejection(TxRejectReason.InsufficientFunds, $"balance {account.Balance} is below value + gas limit × max fee");

        var price = FeeMarket.GasPrice(effectiveBaseFee, transaction.MaxFeePerGas, transaction.MaxPriorityFeePerGas);
        var fee = Amount.FromSat(checked((long)(intrinsic * price)));
        var debited = account with
        {
            Balance = account.Balance - transaction.Value - fee,
            Nonce = account.Nonce + 1,
            LastActivity = Number,
        };
        if (transaction.Type == TransactionType.Transfer)
        {
            // The recipient as it will be after the debit, so a transfer to oneself sees its own new balance.
            var recipient = transaction.To == sender ? debited : GetAccount(transaction.To);
            var credited = recipient.Balance + transaction.Value;
            if (!credited.IsMoneyRange)
                return new TxRejection(TxRejectReason.Malformed, $"recipient balance would exceed {Amount.MaxMoney} CAS");
            _changes[sender] = debited;
            _changes[transaction.To] = recipient with { Balance = credited, LastActivity = Number };
        }
        else
        {
            // A withdrawal burns the value here; the settlement layer pays it on L1 from the receipt.
            _changes[sender] = debited;
            _withdrawn += transaction.Value;
        }
        _sentInBlock[sender] = sent + 1;
        GasUsed += intrinsic;
        _fees += fee;
        _receipts.Add(new Receipt(transaction.Id, ReceiptStatus.Success, intrinsic, GasUsed, price, fee));
        return null;
    }

    /// <summary>Pays the block's fees out (70/20/10) and returns every account change of the block.</summary>
    public BlockOutcome Finish()
    {
        if (_finished)
            throw new InvalidOperationException("the block is already finished");
        _finished = true;
        var split = FeeSplit.Of(_fees, _otherSequencers.Count);
        Credit(Producer, split.Producer);
        foreach (var sequencer in _otherSequencers)
            Credit(sequencer, split.PerOtherSequencer);
        return new BlockOutcome(_changes, _receipts, GasUsed, split, _withdrawn);
    }

    private void Credit(Address address, Amount amount)
    {
        if (amount == Amount.Zero)
            return;
        var account = GetAccount(address);
        _changes[address] = account with { Balance = account.Balance + amount };
    }
}
