using System.Buffers.Binary;
using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Transactions;

/// <summary>
/// An encrypted transaction (doc/encrypted-mempool.md): a transaction of type
/// <see cref="TransactionType.Envelope"/> whose plain fields pay the fee and order it — the sender's
/// nonce it consumes, the gas limit (the envelope's own bytes and, a block later, its contents'
/// execution), the fee caps — and whose data is the key epoch (u64, little-endian) followed by the
/// signed inner transaction threshold-encrypted to that epoch's key. The ciphertext's label is
/// <see cref="Label"/>: chain, sender, nonce, epoch, gas limit and fee caps, so the sender's proof of
/// randomness binds the ciphertext to this sender's envelope. A copy under another sender's signature
/// is not well formed, so nobody can get a pending envelope decrypted early by re-sending it as theirs.
/// To and value are zero. The leader orders envelopes without reading them; after the block is final
/// the sequencers' decryption shares open them, and the next block executes the contents in order.
/// </summary>
public static class Envelope
{
    public const int EpochSize = 8;

    /// <summary>What an envelope reserves for its contents at least, beyond its own intrinsic gas: a plain transfer.</summary>
    public const ulong MinContentsGas = IntrinsicGas.Base;

    private static ReadOnlySpan<byte> LabelDomain => "cascoin-l2-envelope-label-v1"u8;

    /// <summary>The ciphertext's label: what the sender's proof of randomness binds it to.</summary>
    public static byte[] Label(ulong chainId, Address sender, ulong nonce, ulong epoch, ulong gasLimit, ulong maxFeePerGas, ulong maxPriorityFeePerGas)
    {
        var writer = new SpanWriter(LabelDomain.Length + Address.Size + 48);
        writer.WriteBytes(LabelDomain);
        writer.WriteUInt64(chainId);
        writer.WriteAddress(sender);
        writer.WriteUInt64(nonce);
        writer.WriteUInt64(epoch);
        writer.WriteUInt64(gasLimit);
        writer.WriteUInt64(maxFeePerGas);
        writer.WriteUInt64(maxPriorityFeePerGas);
        return writer.ToArray();
    }

    /// <summary>The label of <paramref name="envelope"/> as sent by <paramref name="sender"/>.</summary>
    public static byte[] LabelOf(Transaction envelope, Address sender, ulong epoch)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return Label(envelope.ChainId, sender, envelope.Nonce, epoch, envelope.GasLimit, envelope.MaxFeePerGas, envelope.MaxPriorityFeePerGas);
    }

    /// <summary>The key epoch and ciphertext of an envelope, or null when the transaction is not one or its data is too short.</summary>
    public static (ulong Epoch, byte[] Ciphertext)? Parse(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Type != TransactionType.Envelope || transaction.DataLength < EpochSize + ThresholdEncryption.Overhead)
            return null;
        var data = transaction.Data;
        return (BinaryPrimitives.ReadUInt64LittleEndian(data), data[EpochSize..].ToArray());
    }

    /// <summary>A gas limit that covers the envelope of <paramref name="inner"/> (its bytes, all priced as non-zero) and the inner transaction's own gas limit.</summary>
    public static ulong GasFor(Transaction inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return IntrinsicGas.Base + IntrinsicGas.NonZeroByte * (ulong)(EpochSize + ThresholdEncryption.Overhead + inner.Size) + inner.GasLimit;
    }

    /// <summary>
    /// Encrypts <paramref name="inner"/> (the envelope consumes its nonce; it need not be signed) to epoch
    /// <paramref name="epoch"/>'s key and signs the envelope with <paramref name="key"/> and its fee caps;
    /// the gas limit is <see cref="GasFor"/>.
    /// </summary>
    public static Transaction Seal(Transaction inner, ulong epoch, byte[] epochKey, ulong maxFeePerGas, ulong maxPriorityFeePerGas, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(key);
        var sender = Address.FromPublicKey(key.PublicKey.AsSpan());
        var gasLimit = GasFor(inner);
        var ciphertext = ThresholdEncryption.Encrypt(epochKey, inner.ToBytes(), Label(inner.ChainId, sender, inner.Nonce, epoch, gasLimit, maxFeePerGas, maxPriorityFeePerGas));
        var data = new byte[EpochSize + ciphertext.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(data, epoch);
        ciphertext.CopyTo(data, EpochSize);
        return Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Envelope, inner.ChainId, inner.Nonce, Address.Zero, Amount.Zero,
            maxFeePerGas, maxPriorityFeePerGas, gasLimit, data), key);
    }

    /// <summary>
    /// Whether the envelope's ciphertext is well formed under its label (its sender's proof of
    /// randomness checks): sequencers order and decrypt only such envelopes. Checked once per object.
    /// </summary>
    public static bool IsWellFormed(Transaction envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return envelope.WellFormedEnvelope ??= envelope.Sender is { } sender && Parse(envelope) is var (epoch, ciphertext)
            && ThresholdEncryption.IsWellFormed(ciphertext, LabelOf(envelope, sender, epoch));
    }

    /// <summary>
    /// The transaction inside, given the decrypted bytes (null: the ciphertext did not open): null when
    /// they are not a transaction that may ride in this envelope — a user transaction of the same chain
    /// with the envelope's nonce, within the gas the envelope reserved for it. Such an envelope has paid
    /// its fee; its contents do nothing. The contents are the sender's: its signature over the envelope
    /// covers the ciphertext, and the ciphertext's label names it, so the inner signature is not
    /// checked (wallets leave it empty: an unsigned transaction can never be replayed in the clear).
    /// </summary>
    public static Transaction? Open(Transaction envelope, byte[]? plaintext)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (plaintext is null)
            return null;
        Transaction inner;
        try
        {
            inner = Transaction.Decode(plaintext);
        }
        catch (DecodeException)
        {
            return null;
        }
        var reserved = envelope.GasLimit - Math.Min(envelope.GasLimit, IntrinsicGas.Of(envelope));
        return inner.Type is TransactionType.Transfer or TransactionType.Withdrawal or TransactionType.L2ToL1Message
            && inner.ChainId == envelope.ChainId && inner.Nonce == envelope.Nonce && inner.GasLimit <= reserved
            ? inner
            : null;
    }
}
