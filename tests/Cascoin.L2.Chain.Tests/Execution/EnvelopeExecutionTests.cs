using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Tests.Transactions;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Chain.Tests.Execution;

/// <summary>
/// Envelopes in blocks (doc/encrypted-mempool.md): ordered in block N (fee for the whole gas limit,
/// nonce consumed, queued), opened at the start of block N + 1 in queue order before anything else,
/// by a secret that the key commitment proves or by t checked shares that prove it cannot open; and
/// what a dishonest leader or sender tries against that.
/// </summary>
public sealed class EnvelopeExecutionTests
{
    private const long Funds = 10 * Amount.SatPerCas;
    private const ulong BaseFee = 10;

    private static readonly Lazy<(ThresholdKey Key, List<KeyShare> Shares)> EpochKey = new(() => EnvelopeProperties.Dkg(4));
    private static readonly ChainParameters Optional = TestChains.Default with { Encryption = EncryptionPolicy.Optional };
    private static readonly PrivateKey AliceKey = TestKeys.Key(1);
    private static readonly Address Alice = TestKeys.AddressOf(AliceKey);
    private static readonly Address Bob = TestKeys.AddressAt(2);
    private static readonly Address Producer = TestKeys.AddressAt(100);

    private readonly MemoryState _state = new();
    private readonly Dictionary<Hash256, byte[]> _records = [];
    private ulong _number = 7;

    public EnvelopeExecutionTests() => _state.Set(Alice, Accounts.Funded(Funds));

    private static ThresholdKey Key => EpochKey.Value.Key;

    private BlockExecution NewBlock(ChainParameters? parameters = null) =>
        new(parameters ?? Optional, _number, BaseFee, Producer, [], _state.Get, k => _records.GetValueOrDefault(k))
        {
            L1AnchorHeight = 50,
            EpochKeys = e => e == 1 ? new EpochKeyInfo(1, Key, 40) : null,
        };

    private BlockOutcome Commit(BlockExecution block)
    {
        var outcome = block.Finish();
        _state.Apply(outcome.Changes);
        foreach (var (key, value) in outcome.Records)
        {
            if (value is null)
                _records.Remove(key);
            else
                _records[key] = value;
        }
        _number++;
        return outcome;
    }

    private static Transaction Seal(Transaction inner, PrivateKey? key = null) => Envelope.Seal(inner, 1, Key.PublicKey, 20, 2, key ?? AliceKey);

    /// <summary>The secret t members' shares give for <paramref name="envelope"/>, as the leader of the next block combines it.</summary>
    private static byte[] SecretOf(Transaction envelope)
    {
        var (epoch, ciphertext) = Envelope.Parse(envelope)!.Value;
        var label = Envelope.LabelOf(envelope, envelope.Sender!.Value, epoch);
        var batch = CiphertextBatch.Of([ciphertext], [label], [1])!;
        var shares = EpochKey.Value.Shares.Take(Key.Threshold).Select(s => BatchDecryptionShare.Create(s, batch));
        return BatchDecryptionShare.CombineSecrets(Key, batch, shares)![0]!;
    }

    [Fact]
    public void An_envelope_pays_for_its_gas_limit_when_ordered_and_its_transfer_runs_first_in_the_next_block()
    {
        var inner = Tx.Transfer(AliceKey, 0, Bob, 1_000_000);
        var envelope = Seal(inner);
        var block = NewBlock();
        Assert.Null(block.TryApply(envelope));
        Assert.Equal(envelope.GasLimit, block.GasUsed);
        var price = block.Receipts[0].GasPrice;
        Assert.Equal(Accounts.Funded(Funds - (long)(envelope.GasLimit * price), nonce: 1) with { LastActivity = _number }, block.GetAccount(Alice));
        Assert.Equal(Amount.Zero, block.GetAccount(Bob).Balance);
        Assert.Equal(new EnvelopeCursor(1, 0), block.Envelopes);
        // The same block cannot open what it ordered: the key exists only once the block is final.
        Assert.Equal(TxRejectReason.Malformed, block.TryApply(Decryption.WithSecret(Tx.ChainId, 0, SecretOf(envelope)))!.Reason);
        Commit(block);

        var next = NewBlock();
        // Nothing of the next block's own may come before the opening, whoever reads the plaintext first.
        Assert.Equal(TxRejectReason.AwaitingDecryption, next.TryApply(Tx.Transfer(TestKeys.Key(5), 0, Bob, 1))!.Reason);
        var opening = Decryption.WithSecret(Tx.ChainId, 0, SecretOf(envelope));
        Assert.Null(next.TryApply(opening));
        Assert.Equal(ReceiptStatus.Success, next.Receipts[^1].Status);
        Assert.Equal(Amount.FromSat(1_000_000), next.GetAccount(Bob).Balance);
        Assert.Equal(1UL, next.GetAccount(Alice).Nonce);
        Assert.Equal(0UL, next.GasUsed);
        Assert.Equal(new EnvelopeCursor(1, 1), next.Envelopes);
        // Its contents cannot be replayed in the clear: the envelope consumed the nonce.
        Assert.Equal(TxRejectReason.NonceTooLow, next.TryApply(inner)!.Reason);
        // A simulation of what still holds after a revert does not wait for openings: the plain transfer holds.
        var simulation = new BlockExecution(Optional, _number, BaseFee, Producer, [], _state.Get, k => _records.GetValueOrDefault(k)) { WaitForOpenings = false };
        Assert.Null(simulation.TryApply(Tx.Transfer(AliceKey, 1, Bob, 1)));
        // The node indexes which transaction opened which envelope (l2_gettransactionreceipt shows it).
        Assert.Equal([(envelope.Id, opening.Id)], Commit(next).Openings);
        Assert.DoesNotContain(EnvelopeKeys.Entry(0), _records.Keys);
    }

    [Fact]
    public void Openings_follow_the_order_and_a_made_up_secret_is_refused()
    {
        var first = Seal(Tx.Transfer(AliceKey, 0, Bob, 1));
        var second = Seal(Tx.Transfer(AliceKey, 1, Bob, 2));
        var block = NewBlock();
        Assert.Null(block.TryApply(first));
        Assert.Null(block.TryApply(second));
        Commit(block);

        var next = NewBlock();
        Assert.Equal(TxRejectReason.NonceTooHigh, next.TryApply(Decryption.WithSecret(Tx.ChainId, 1, SecretOf(second)))!.Reason);
        // The second envelope's secret for the first, or any other point: the key commitment does not match.
        Assert.Equal(TxRejectReason.Malformed, next.TryApply(Decryption.WithSecret(Tx.ChainId, 0, SecretOf(second)))!.Reason);
        Assert.Equal(TxRejectReason.Malformed, next.TryApply(Decryption.WithSecret(Tx.ChainId, 0, TestKeys.Key(9).PublicKey.ToArray()))!.Reason);
        // A leader who claims the honest envelope does not open, with t valid shares: refused, it opens.
        var (epoch, ciphertext) = Envelope.Parse(first)!.Value;
        var label = Envelope.LabelOf(first, Alice, epoch);
        var shares = EpochKey.Value.Shares.Take(Key.Threshold).Select(s => ThresholdEncryption.CreateShare(s, ciphertext, label)!).ToList();
        Assert.Equal(TxRejectReason.Malformed, next.TryApply(Decryption.WithShares(Tx.ChainId, 0, shares))!.Reason);
        Assert.Null(next.TryApply(Decryption.WithSecret(Tx.ChainId, 0, SecretOf(first))));
        Assert.Null(next.TryApply(Decryption.WithSecret(Tx.ChainId, 1, SecretOf(second))));
        Assert.Equal(Amount.FromSat(3), next.GetAccount(Bob).Balance);
        // Both opened: the block's own transactions may follow.
        Assert.Null(next.TryApply(Tx.Transfer(AliceKey, 2, Bob, 4)));
    }

    [Fact]
    public void Contents_that_may_not_ride_in_the_envelope_open_to_nothing_and_the_fee_stays_paid()
    {
        // Another nonce inside than the envelope's: opens, does nothing.
        var envelope = Envelope.Seal(Tx.Transfer(AliceKey, 5, Bob, 1_000), 1, Key.PublicKey, 20, 2, AliceKey);
        var block = NewBlock();
        Assert.Equal(TxRejectReason.NonceTooHigh, block.TryApply(envelope)!.Reason);
        var wrongInside = Resealed(Tx.Transfer(AliceKey, 1, Bob, 1_000), nonce: 0);
        Assert.Null(block.TryApply(wrongInside));
        var paid = block.GetAccount(Alice).Balance;
        Commit(block);
        var next = NewBlock();
        Assert.Null(next.TryApply(Decryption.WithSecret(Tx.ChainId, 0, SecretOf(wrongInside))));
        Assert.Equal(ReceiptStatus.Failed, next.Receipts[^1].Status);
        Assert.Equal(paid, next.GetAccount(Alice).Balance);
        Assert.Equal(Amount.Zero, next.GetAccount(Bob).Balance);
    }

    [Fact]
    public void A_false_key_commitment_opens_to_nothing_only_when_t_checked_shares_prove_it()
    {
        // The sender writes a commitment that no secret matches (its own business: the fee is paid, nothing runs).
        var label = Envelope.Label(Tx.ChainId, Alice, 0, 1, ResealedGas, 20, 2);
        var r = Group.RandomScalar();
        var forged = ThresholdEncryption.Encrypt(Group.Decode(Key.PublicKey)!, r, Tx.Transfer(AliceKey, 0, Bob, 1_000).ToBytes(), label);
        forged[ThresholdEncryption.BodyStart] ^= 1;
        ThresholdEncryption.Prove(forged, r, label);
        var envelope = Resealed(null, nonce: 0, ciphertext: forged);
        var block = NewBlock();
        Assert.Null(block.TryApply(envelope));
        Commit(block);

        var next = NewBlock();
        var shares = EpochKey.Value.Shares.Select(s => ThresholdEncryption.CreateShare(s, forged, label)!).ToList();
        // t − 1 shares, or t with one forged: not a proof.
        Assert.Equal(TxRejectReason.Malformed, next.TryApply(Decryption.WithShares(Tx.ChainId, 0, shares.Take(Key.Threshold - 1).ToList()))!.Reason);
        var bad = shares[0].ToArray();
        bad[^1] ^= 1;
        Assert.Equal(TxRejectReason.Malformed, next.TryApply(Decryption.WithShares(Tx.ChainId, 0, [bad, .. shares.Skip(1).Take(Key.Threshold - 1)]))!.Reason);
        Assert.Null(next.TryApply(Decryption.WithShares(Tx.ChainId, 0, shares.Take(Key.Threshold).ToList())));
        Assert.Equal(ReceiptStatus.Failed, next.Receipts[^1].Status);
        Assert.Equal(new EnvelopeCursor(1, 1), next.Envelopes);
    }

    [Fact]
    public void The_chain_policy_decides_what_is_taken()
    {
        var envelope = Seal(Tx.Transfer(AliceKey, 0, Bob, 1));
        Assert.Equal(TxRejectReason.UnsupportedType, NewBlock(TestChains.Default).TryApply(envelope)!.Reason);
        var required = NewBlock(Optional with { Encryption = EncryptionPolicy.Required });
        Assert.Equal(TxRejectReason.UnsupportedType, required.TryApply(Tx.Transfer(AliceKey, 0, Bob, 1))!.Reason);
        Assert.Null(required.TryApply(envelope));
        // An epoch the settlement chain has no key of: refused for good (it leaves the mempool).
        var madeUp = Envelope.Seal(Tx.Transfer(AliceKey, 1, Bob, 1), 2, Key.PublicKey, 20, 2, AliceKey);
        Assert.Equal(TxRejectReason.UnknownEpoch, required.TryApply(madeUp)!.Reason);
        Assert.True(required.TryApply(madeUp)!.IsLasting);
        // A key committed after the block's L1 reference: the envelope waits (a later block takes it).
        var early = new BlockExecution(Optional, _number, BaseFee, Producer, [], _state.Get, k => _records.GetValueOrDefault(k))
        {
            L1AnchorHeight = 39,
            EpochKeys = e => e == 1 ? new EpochKeyInfo(1, Key, 40) : null,
        };
        var rejection = early.TryApply(Seal(Tx.Transfer(AliceKey, 0, Bob, 1)))!;
        Assert.Equal(TxRejectReason.EpochNotReady, rejection.Reason);
        Assert.False(rejection.IsLasting);
    }

    /// <summary>Alice's envelope over <paramref name="inner"/> (or a given ciphertext) at another envelope nonce.</summary>
    private const ulong ResealedGas = 100_000;

    private static Transaction Resealed(Transaction? inner, ulong nonce, byte[]? ciphertext = null)
    {
        const ulong gasLimit = ResealedGas;
        var label = Envelope.Label(Tx.ChainId, Alice, nonce, 1, gasLimit, 20, 2);
        ciphertext ??= ThresholdEncryption.Encrypt(Key.PublicKey, inner!.ToBytes(), label);
        byte[] data = [1, 0, 0, 0, 0, 0, 0, 0, .. ciphertext];
        return Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Envelope, Tx.ChainId, nonce, Address.Zero, Amount.Zero, 20, 2, gasLimit, data), AliceKey);
    }
}
