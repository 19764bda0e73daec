using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Reputation;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Chain.Execution;

/// <summary>What a block's execution carries from one step to the next besides the state: gas used, fees collected, deposits minted, value withdrawn.</summary>
public readonly record struct StepContext(ulong GasUsed, Amount Fees, Amount Deposited, Amount Withdrawn);

/// <summary>What executing a block's transactions produced: the accounts it changed, receipts, gas and fees.</summary>
public sealed record BlockOutcome(
    IReadOnlyDictionary<Address, AccountState> Changes,
    IReadOnlyList<Receipt> Receipts,
    ulong GasUsed,
    FeeSplit Fees,
    Amount Withdrawn)
{
    /// <summary>State records other than accounts (bridge records, the L1 queue cursor); null value = delete.</summary>
    public IReadOnlyDictionary<Hash256, byte[]?> Records { get; init; } = new Dictionary<Hash256, byte[]?>();

    /// <summary>CAS minted from L1 deposits in this block.</summary>
    public Amount Deposited { get; init; }

    /// <summary>The envelopes this block opened, each with the id of its opening (not consensus data: the node's index of them).</summary>
    public IReadOnlyList<(Hash256 Envelope, Hash256 Opening)> Openings { get; init; } = [];
}

/// <summary>
/// The state transition of one block, one transaction at a time (SPEC §5): pure — it reads the
/// parent state through a function and keeps its changes in memory, so the same parent and the
/// same transactions give the same changes, receipts and fees on every machine. The producer
/// offers candidates and skips the refused ones; a validator requires every one to apply.
/// </summary>
public sealed partial class BlockExecution
{
    private readonly ChainParameters _parameters;
    private readonly Func<Address, AccountState> _parentState;
    private readonly Dictionary<Address, AccountState> _changes = [];
    private readonly List<Receipt> _receipts = [];
    private readonly List<(Hash256 Envelope, Hash256 Opening)> _openings = [];
    private readonly IReadOnlyList<FeeSharer> _otherSigners;
    private readonly Func<Hash256, byte[]?> _parentRecords;
    private readonly Func<L1MessageKind, ulong, L1Message?>? _l1Queue;
    private readonly Dictionary<Hash256, byte[]?> _records = [];
    private Amount _deposited;
    private Amount _fees;
    private Amount _withdrawn;
    private bool _finished;

    /// <param name="otherSigners">The signers of the parent's certificate besides the producer, who share 20 % of the fees by weight.</param>
    /// <param name="parentRecords">The parent's non-account state records (bridge records); null: none.</param>
    /// <param name="l1Queue">The settlement chain's L1→L2 queues as this node sees them; null: the chain follows no settlement layer, and system transactions are refused.</param>
    public BlockExecution(ChainParameters parameters, ulong number, ulong baseFee, Address producer,
        IReadOnlyList<FeeSharer> otherSigners, Func<Address, AccountState> parentState,
        Func<Hash256, byte[]?>? parentRecords = null, Func<L1MessageKind, ulong, L1Message?>? l1Queue = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(otherSigners);
        ArgumentNullException.ThrowIfNull(parentState);
        _parameters = parameters;
        Number = number;
        BaseFee = baseFee;
        Producer = producer;
        _otherSigners = otherSigners;
        _parentState = parentState;
        _parentRecords = parentRecords ?? (_ => null);
        _l1Queue = l1Queue;
    }

    public ulong Number { get; }

    /// <summary>
    /// The L1 height the block's header references: queue entries from later L1 blocks are refused,
    /// so a block never takes a deposit before the confirmations its anchor stands for. Null: no bound.
    /// </summary>
    public ulong? L1AnchorHeight { get; init; }

    public ulong BaseFee { get; }

    public Address Producer { get; }

    public ulong GasUsed { get; private set; }

    /// <summary>
    /// The nonce each sender had when the block began, when this execution does not begin the block
    /// (<see cref="Resume"/>: the parent state is then the state before the step, not the block's).
    /// </summary>
    public Func<Address, ulong>? BlockStartNonce { get; init; }

    /// <summary>Gas, fees, deposits and withdrawals of the block so far: what a step reads besides the state.</summary>
    public StepContext Context => new(GasUsed, _fees, _deposited, _withdrawn);

    /// <summary>Continues a block from the step whose context this is (its earlier steps are in the parent state).</summary>
    public StepContext Resume
    {
        init => (GasUsed, _fees, _deposited, _withdrawn) = (value.GasUsed, value.Fees, value.Deposited, value.Withdrawn);
    }

    /// <summary>
    /// Regtest fault injection (-l2faultyroot): the fee split also mints 1 CAS to the producer, so the
    /// block's state root is wrong — what sequencers who agree on a lie would sign. Never set otherwise.
    /// </summary>
    public bool InjectFault { get; init; }

    /// <summary>The accounts this execution changed so far (of the steps it ran).</summary>
    public IReadOnlyDictionary<Address, AccountState> ChangedAccounts => _changes;

    /// <summary>The other state records this execution changed so far; null value = delete.</summary>
    public IReadOnlyDictionary<Hash256, byte[]?> ChangedRecords => _records;

    public IReadOnlyList<Receipt> Receipts => _receipts;

    /// <summary>The account as this block has left it so far.</summary>
    public AccountState GetAccount(Address address) =>
        _changes.TryGetValue(address, out var account) ? account : _parentState(address);

    /// <summary>How far this block has consumed the L1 queues.</summary>
    public QueueCursor Cursor =>
        GetRecord(BridgeKeys.Cursor) is { } bytes ? QueueCursor.FromBytes(bytes) : default;

    private byte[]? GetRecord(Hash256 key) => _records.TryGetValue(key, out var value) ? value : _parentRecords(key);

    /// <summary>Applies <paramref name="transaction"/>, or returns why it cannot be part of this block (and changes nothing).</summary>
    public TxRejection? TryApply(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (_finished)
            throw new InvalidOperationException("the block is already finished");
        if (transaction.Type is TransactionType.Deposit or TransactionType.L1ToL2Message or TransactionType.ForcedInclusion)
            return ApplyQueued(transaction);
        if (transaction.Type == TransactionType.Decryption)
            return ApplyDecryption(transaction);
        // A plain transaction after a plaintext someone could read before this block: front-running. An
        // envelope is blind and opens after every earlier one, so it may be ordered meanwhile.
        if (transaction.Type != TransactionType.Envelope && WaitingFromEarlierBlocks() is { } waiting)
            return waiting;
        if (ApplyUser(transaction, out var receipt) is { } rejection)
            return rejection;
        _receipts.Add(receipt!);
        return null;
    }

    /// <summary>A user transaction: every rule of SPEC §5; on success its receipt (not yet added).</summary>
    private TxRejection? ApplyUser(Transaction transaction, out Receipt? receipt, bool carried = false)
    {
        receipt = null;
        var stateless = TransactionRules.CheckStateless(transaction, _parameters, carried);
        if (stateless is not null)
            return stateless;
        var sender = transaction.Sender!.Value;
        // An envelope pays for its whole gas limit now: its own bytes and its contents' execution in a later block.
        var gas = transaction.Type == TransactionType.Envelope ? transaction.GasLimit : IntrinsicGas.Of(transaction);
        if (GasUsed + gas > _parameters.BlockGasLimit)
            return new TxRejection(TxRejectReason.BlockFull, $"block gas used {GasUsed} + {gas} exceeds the limit {_parameters.BlockGasLimit}");
        if (transaction.Type == TransactionType.Envelope && EpochError(Envelope.Parse(transaction)!.Value.Epoch) is { } epochError)
            return epochError;

        var account = GetAccount(sender);
        var blockStartNonce = BlockStartNonce?.Invoke(sender) ?? _parentState(sender).Nonce;
        // Its score as of this block's epoch decides its fee and allowance (kept only if the transaction applies).
        var reputation = RollAtFirstTransaction(sender, account, blockStartNonce);
        if (reputation is not null)
            account = account with { HatScore = reputation.Aggregate };
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
        // What the sender sent in this block so far: its nonce moved once per applied transaction and
        // by nothing else, so a step of the block can be re-executed alone (fraud proofs) without a count kept beside the state.
        var sent = account.Nonce - blockStartNonce;
        if (sent >= (ulong)limit)
            return new TxRejection(TxRejectReason.RateLimited, $"sender {sender} already has {sent} transactions in this block (limit {limit})");
        if (TransactionRules.UpfrontCost(transaction) is not { } upfront || upfront > account.Balance)
            return new TxRejection(TxRejectReason.InsufficientFunds, $"balance {account.Balance} is below value + gas limit × max fee");

        var price = FeeMarket.GasPrice(effectiveBaseFee, transaction.MaxFeePerGas, transaction.MaxPriorityFeePerGas);
        var fee = Amount.FromSat(checked((long)(gas * price)));
        var debited = account with
        {
            Balance = account.Balance - transaction.Value - fee,
            Nonce = account.Nonce + 1,
            LastActivity = Number,
        };
        reputation = AfterUserTransaction(transaction, sender, account, reputation, sent + 1, limit);
        if (reputation is not null)
            debited = debited with { HatScore = reputation.Aggregate };
        if (Effect(transaction, sender, debited) is { } refused)
            return refused;
        if (reputation is not null)
            StoreReputation(sender, reputation);
        GasUsed += gas;
        _fees += fee;
        receipt = new Receipt(transaction.Id, ReceiptStatus.Success, gas, GasUsed, price, fee);
        return null;
    }

    /// <summary>What a user transaction does, its sender's account already <paramref name="debited"/> (value, fee, nonce); a rejection changes nothing.</summary>
    private TxRejection? Effect(Transaction transaction, Address sender, AccountState debited)
    {
        if (transaction.Type == TransactionType.L2ToL1Message && transaction.Value != Amount.Zero)
            return new TxRejection(TxRejectReason.Malformed, "an L2→L1 message carries no value: withdraw value with a withdrawal");
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
        else if (transaction.Type == TransactionType.Withdrawal)
        {
            // Burned here; the record in the state is what the bridge pays on L1 against an anchored root.
            _changes[sender] = debited;
            _withdrawn += transaction.Value;
            _records[BridgeKeys.Withdrawal(transaction.Id)] = new WithdrawalRecord(sender, transaction.To, transaction.Value, Number, debited.HatScore).ToBytes();
        }
        else if (transaction.Type == TransactionType.Envelope)
        {
            _changes[sender] = debited;
            Enqueue(transaction, sender);
        }
        else
        {
            _changes[sender] = debited;
            _records[BridgeKeys.Message(transaction.Id)] = new L2MessageRecord(sender, transaction.To, Number, transaction.Data.ToArray()).ToBytes();
        }
        return null;
    }

    /// <summary>
    /// The next entry of an L1 queue, carried in the block as a system transaction whose data is the
    /// entry's bytes: it must be exactly the entry the settlement chain holds at the cursor. A deposit
    /// mints its amount, a message is recorded as delivered, a forced transaction is executed under
    /// the user rules (if they refuse it, it is still consumed, with a failed receipt).
    /// </summary>
    private TxRejection? ApplyQueued(Transaction transaction)
    {
        if (_l1Queue is null)
            return new TxRejection(TxRejectReason.UnsupportedType, "this chain follows no settlement layer: no L1 queue entries");
        if (transaction.ChainId != _parameters.ChainId)
            return new TxRejection(TxRejectReason.WrongChainId, $"queue entry for chain {transaction.ChainId}, this is chain {_parameters.ChainId}");
        L1Message message;
        try
        {
            message = L1Message.FromBytes(transaction.Data);
        }
        catch (DecodeException ex)
        {
            return new TxRejection(TxRejectReason.Malformed, $"not an L1 queue entry: {ex.Message}");
        }
        var expectedKind = transaction.Type switch
        {
            TransactionType.Deposit => L1MessageKind.Deposit,
            TransactionType.L1ToL2Message => L1MessageKind.Message,
            _ => L1MessageKind.Forced,
        };
        var cursor = Cursor;
        var expectedSequence = expectedKind == L1MessageKind.Forced ? cursor.Forced : cursor.L1Messages;
        if (message.Kind != expectedKind || message.Sequence != expectedSequence)
            return new TxRejection(TxRejectReason.NonceTooHigh, $"the next {expectedKind} queue entry is {expectedSequence}, got {message.Kind} {message.Sequence}");
        if (_l1Queue(message.Kind, message.Sequence) is not { } onL1 || !onL1.ToBytes().AsSpan().SequenceEqual(transaction.Data))
            return new TxRejection(TxRejectReason.Malformed, $"{message.Kind} {message.Sequence} is not on the settlement chain as given");
        if (message.Height > L1AnchorHeight)
            return new TxRejection(TxRejectReason.Malformed, $"{message.Kind} {message.Sequence} is from L1 block {message.Height}, after the block's L1 anchor {L1AnchorHeight}");

        var status = ReceiptStatus.Success;
        Receipt? inner = null;
        switch (message.Kind)
        {
            case L1MessageKind.Deposit:
                var account = GetAccount(message.Recipient);
                var credited = account.Balance + message.Amount;
                if (!credited.IsMoneyRange)
                    return new TxRejection(TxRejectReason.Malformed, "deposit would exceed the money supply");
                _changes[message.Recipient] = account with { Balance = credited, LastActivity = Number };
                _deposited += message.Amount;
                _records[BridgeKeys.Delivered(message.Sequence)] = message.ToBytes();
                cursor = cursor with { L1Messages = cursor.L1Messages + 1 };
                break;
            case L1MessageKind.Message:
                if (ReputationImport.ScoreOf(message) is { } score)
                    ImportReputation(message.Recipient, score, message.Height);
                _records[BridgeKeys.Delivered(message.Sequence)] = message.ToBytes();
                cursor = cursor with { L1Messages = cursor.L1Messages + 1 };
                break;
            default:
                Transaction forced;
                try
                {
                    forced = Transaction.Decode(message.Data);
                }
                catch (DecodeException)
                {
                    forced = null!;
                    status = ReceiptStatus.Failed;
                }
                if (status == ReceiptStatus.Success && ApplyUser(forced, out inner, carried: true) is { } refusal)
                {
                    status = ReceiptStatus.Failed;
                    // Anyone can force a transaction someone signed: a replay of an old one (its nonce) is not its signer's doing.
                    if (forced.Sender is { } failedSender && refusal.Reason is not (TxRejectReason.NonceTooLow or TxRejectReason.NonceTooHigh))
                        RecordFailure(failedSender);
                }
                cursor = cursor with { Forced = cursor.Forced + 1 };
                break;
        }
        _records[BridgeKeys.Cursor] = cursor.ToBytes();
        _receipts.Add(inner is null
            ? new Receipt(transaction.Id, status, 0, GasUsed, 0, Amount.Zero)
            : inner with { TransactionId = transaction.Id });
        return null;
    }

    /// <summary>Pays the block's fees out (70/20/10) and returns every account change of the block.</summary>
    public BlockOutcome Finish()
    {
        if (_finished)
            throw new InvalidOperationException("the block is already finished");
        _finished = true;
        var split = FeeSplit.Of(_fees, _otherSigners.Select(s => s.Weight).ToList());
        Credit(Producer, split.Producer);
        if (InjectFault)
            Credit(Producer, Amount.OneCas);
        for (var i = 0; i < _otherSigners.Count; i++)
            Credit(_otherSigners[i].Address, split.Others[i]);
        return new BlockOutcome(_changes, _receipts, GasUsed, split, _withdrawn) { Records = _records, Deposited = _deposited, Openings = _openings };
    }

    private void Credit(Address address, Amount amount)
    {
        if (amount == Amount.Zero)
            return;
        var account = GetAccount(address);
        _changes[address] = account with { Balance = account.Balance + amount };
    }
}
