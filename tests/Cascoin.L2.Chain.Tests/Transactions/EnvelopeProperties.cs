using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Transactions;

/// <summary>
/// Envelopes (doc/encrypted-mempool.md) for random transactions and fee caps: the bytes round trip as
/// a transaction; the sender is the signer; t members' shares give back the very transaction inside;
/// the same envelope with a changed field, or re-signed by another key (a thief who wants a pending
/// envelope opened early as its own), or with another envelope's ciphertext, is not well formed; a
/// transaction of another nonce or chain, or one over the reserved gas, opens to nothing.
/// </summary>
public sealed class EnvelopeProperties
{
    private static readonly Lazy<(ThresholdKey Key, List<KeyShare> Shares)> EpochKey = new(() => Dkg(4));

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 100)]
    public void An_envelope_carries_its_transaction_to_t_members_and_nothing_else(Seed seed)
    {
        var random = new Random(seed.Value);
        var (key, shares) = EpochKey.Value;
        var sender = TestKeys.Key(random.Next(1, 50));
        var data = new byte[random.Next(0, 300)];
        random.NextBytes(data);
        var nonce = (ulong)random.Next(0, 1_000);
        var inner = Tx.Make(TransactionType.Transfer, sender, nonce, TestKeys.Outsider(random.Next(10)), random.Next(1, 1_000_000), 10, 1, 21_000 + 16 * (ulong)data.Length, data: data);
        var envelope = Envelope.Seal(inner, 1, key.PublicKey, (ulong)random.Next(10, 100), (ulong)random.Next(0, 10), sender);

        var decoded = Transaction.Decode(envelope.ToBytes());
        Assert.Equal(envelope.Id, decoded.Id);
        Assert.Equal(TransactionType.Envelope, decoded.Type);
        Assert.Equal(TestKeys.AddressOf(sender), decoded.Sender);
        Assert.True(Envelope.IsWellFormed(decoded));
        Assert.Equal((Tx.ChainId, nonce, 1UL), (decoded.ChainId, decoded.Nonce, Envelope.Parse(decoded)!.Value.Epoch));
        Assert.Null(TransactionRules.CheckStateless(decoded, TestChains.Default with { Encryption = EncryptionPolicy.Optional }));

        var plaintext = Decrypt(decoded, key, shares.OrderBy(_ => random.Next()).Take(key.Threshold));
        Assert.Equal(inner.Id, Envelope.Open(decoded, plaintext)!.Id);

        // The same data under a changed field, re-signed by the sender: the label moved, the proof of randomness fails.
        var changed = random.Next(4) switch
        {
            0 => Resign(decoded, sender, nonce: decoded.Nonce + 1),
            1 => Resign(decoded, sender, gasLimit: decoded.GasLimit + 1),
            2 => Resign(decoded, sender, maxFee: decoded.MaxFeePerGas + 1),
            _ => Resign(decoded, sender, tip: decoded.MaxPriorityFeePerGas + 1),
        };
        Assert.False(Envelope.IsWellFormed(changed));
        // A thief re-signs the pending envelope as its own to get it opened first: its label names the thief, so it is not well formed.
        var thief = TestKeys.Key(60);
        var stolen = Resign(decoded, thief);
        Assert.Equal(TestKeys.AddressOf(thief), stolen.Sender);
        Assert.False(Envelope.IsWellFormed(stolen));
        Assert.Equal(TxRejectReason.Malformed, TransactionRules.CheckStateless(stolen, TestChains.Default with { Encryption = EncryptionPolicy.Optional })!.Reason);
        // Another envelope's ciphertext under this one's fields.
        var other = Envelope.Seal(inner, 1, key.PublicKey, decoded.MaxFeePerGas, decoded.MaxPriorityFeePerGas, sender);
        Assert.False(Envelope.IsWellFormed(Resign(decoded, sender, data: [.. decoded.Data[..Envelope.EpochSize], .. Envelope.Parse(other)!.Value.Ciphertext[..33], .. Envelope.Parse(decoded)!.Value.Ciphertext[33..]])));
        // Contents that may not ride in this envelope: another nonce, another chain, more gas than reserved, not a transaction.
        Assert.Null(Envelope.Open(decoded, Tx.Make(TransactionType.Transfer, sender, nonce + 1, TestKeys.Outsider(1), 1, 10, 1, 21_000).ToBytes()));
        Assert.Null(Envelope.Open(decoded, Tx.Make(TransactionType.Transfer, sender, nonce, TestKeys.Outsider(1), 1, 10, 1, 21_000, chainId: Tx.ChainId + 1).ToBytes()));
        Assert.Null(Envelope.Open(decoded, Tx.Make(TransactionType.Transfer, sender, nonce, TestKeys.Outsider(1), 1, 10, 1, decoded.GasLimit).ToBytes()));
        Assert.Null(Envelope.Open(decoded, data));
        Assert.Null(Envelope.Open(decoded, null));
    }

    [Property(MaxTest = 300)]
    public void Random_bytes_are_refused_with_a_decode_error(byte[] bytes)
    {
        try
        {
            var transaction = Transaction.Decode(bytes ?? []);
            Assert.Equal(bytes, transaction.ToBytes());
            _ = Envelope.Parse(transaction);
            _ = Envelope.IsWellFormed(transaction);
        }
        catch (DecodeException)
        {
            // refused, as it should be
        }
    }

    private static Transaction Resign(Transaction envelope, PrivateKey key, ulong? nonce = null, ulong? gasLimit = null, ulong? maxFee = null, ulong? tip = null, byte[]? data = null) =>
        Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Envelope, envelope.ChainId, nonce ?? envelope.Nonce, envelope.To, envelope.Value,
            maxFee ?? envelope.MaxFeePerGas, tip ?? envelope.MaxPriorityFeePerGas, gasLimit ?? envelope.GasLimit, data ?? envelope.Data.ToArray()), key);

    private static byte[]? Decrypt(Transaction envelope, ThresholdKey key, IEnumerable<KeyShare> shares)
    {
        var (epoch, ciphertext) = Envelope.Parse(envelope)!.Value;
        var label = Envelope.LabelOf(envelope, envelope.Sender!.Value, epoch);
        return ThresholdEncryption.Combine(key, ciphertext, label, shares.Select(s => ThresholdEncryption.CreateShare(s, ciphertext, label)!));
    }

    /// <summary>An honest DKG among <paramref name="n"/> members: the key and every member's share.</summary>
    internal static (ThresholdKey Key, List<KeyShare> Shares) Dkg(int n)
    {
        var members = Enumerable.Range(0, n).Select(i => TestKeys.Key(100 + i)).ToList();
        var publicKeys = members.Select(m => m.PublicKey.ToArray()).ToList();
        var sessions = members.Select((m, i) => new DkgSession("envelope-tests"u8.ToArray(), publicKeys, ThresholdKey.ThresholdFor(n), i + 1, m.ToArray())).ToList();
        var dealings = sessions.Select(s => s.Deal()).ToList();
        sessions.ForEach(s => dealings.ForEach(d => s.Receive(d)));
        var exposures = sessions.Select(s => s.Expose()!).ToList();
        sessions.ForEach(s => exposures.ForEach(e => s.ReceiveExposure(e)));
        var results = sessions.Select(s => s.Finish()!).ToList();
        return (results[0].Key, results.Select(r => r.Share!).ToList());
    }
}
