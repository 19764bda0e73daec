using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Transactions;

/// <summary>
/// Envelopes (doc/encrypted-mempool.md) for random transactions and fee headers: the bytes round
/// trip; the sender is the signer; t members' shares give back the very transaction inside; a changed
/// header field or a signature by another key moves the sender, and a changed header or a ciphertext
/// from another envelope is no longer well formed; a transaction of another sender, nonce or chain
/// opens to nothing; random bytes are refused with a decode error, never thrown otherwise.
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
        var envelope = Envelope.Seal(inner, 1, key.PublicKey, 50_000, (ulong)random.Next(10, 100), (ulong)random.Next(0, 10), sender);

        var decoded = Envelope.Decode(envelope.ToBytes());
        Assert.Equal(envelope.ToBytes(), decoded.ToBytes());
        Assert.Equal(envelope.Id, decoded.Id);
        Assert.Equal(TestKeys.AddressOf(sender), decoded.Sender);
        Assert.True(decoded.IsWellFormed);
        Assert.Equal(Tx.ChainId, decoded.ChainId);
        Assert.Equal(nonce, decoded.Nonce);

        var plaintext = Decrypt(decoded, key, shares.OrderBy(_ => random.Next()).Take(key.Threshold));
        Assert.Equal(inner.Id, decoded.Open(plaintext!)!.Id);

        // A header field changed: the signature names someone else, and the ciphertext no longer belongs.
        var changed = random.Next(6) switch
        {
            0 => decoded with { ChainId = decoded.ChainId + 1 },
            1 => decoded with { Epoch = decoded.Epoch + 1 },
            2 => decoded with { Nonce = decoded.Nonce + 1 },
            3 => decoded with { GasLimit = decoded.GasLimit + 1 },
            4 => decoded with { MaxFeePerGas = decoded.MaxFeePerGas + 1 },
            _ => decoded with { MaxPriorityFeePerGas = decoded.MaxPriorityFeePerGas + 1 },
        };
        Assert.NotEqual(decoded.Sender, changed.Sender);
        Assert.False(changed.IsWellFormed);
        // Re-signed by another key over the same contents: another sender, whose nonce the inner transaction does not carry.
        var thief = TestKeys.Key(60);
        var stolen = decoded with { Signature = thief.SignRecoverable(decoded.SigningHash.ToArray()).ToArray() };
        Assert.Equal(TestKeys.AddressOf(thief), stolen.Sender);
        Assert.Null(stolen.Open(plaintext!));
        // Another envelope's ciphertext under this header.
        var other = Envelope.Seal(inner, 1, key.PublicKey, 50_000, 10, 1, sender);
        Assert.False((decoded with { Ciphertext = other.Ciphertext }).IsWellFormed);
        // Contents that may not ride in this envelope: another nonce, another chain, not a transaction.
        Assert.Null(decoded.Open(Tx.Make(TransactionType.Transfer, sender, nonce + 1, TestKeys.Outsider(1), 1, 10, 1, 21_000).ToBytes()));
        Assert.Null(decoded.Open(Tx.Make(TransactionType.Transfer, sender, nonce, TestKeys.Outsider(1), 1, 10, 1, 21_000, chainId: Tx.ChainId + 1).ToBytes()));
        Assert.Null(decoded.Open(data));
    }

    [Property(MaxTest = 300)]
    public void Random_bytes_are_refused_with_a_decode_error(byte[] bytes)
    {
        try
        {
            var envelope = Envelope.Decode(bytes ?? []);
            Assert.Equal(bytes, envelope.ToBytes());
        }
        catch (DecodeException)
        {
            // refused, as it should be
        }
    }

    private static byte[]? Decrypt(Envelope envelope, ThresholdKey key, IEnumerable<KeyShare> shares) =>
        ThresholdEncryption.Combine(key, envelope.Ciphertext, envelope.Header, shares.Select(s => ThresholdEncryption.CreateShare(s, envelope.Ciphertext, envelope.Header)!));

    /// <summary>An honest DKG among <paramref name="n"/> members: the key and every member's share.</summary>
    private static (ThresholdKey Key, List<KeyShare> Shares) Dkg(int n)
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
