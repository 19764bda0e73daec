using Cascoin.L2.Crypto;
using Cascoin.L2.Crypto.Threshold;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Transactions;

/// <summary>
/// An encrypted transaction (doc/encrypted-mempool.md): a plain header that pays the fee and orders
/// the envelope — chain, key epoch, the sender's account nonce it consumes, gas limit, fee caps — and
/// the signed transaction's bytes threshold-encrypted to that epoch's key, with the header as the
/// ciphertext's label (the sender's proof of randomness binds it, so a ciphertext cannot move to
/// another header). The sender signs the header and the ciphertext's SHA-256 (its commitment), and
/// is recovered from the signature.
/// Bytes: version u8 (1) ‖ chain u64 ‖ epoch u64 ‖ nonce u64 ‖ gas limit u64 ‖ max fee u64 ‖
/// max priority fee u64 ‖ ciphertext (CompactSize ‖ bytes) ‖ signature 65, little-endian.
/// The id is SHA-256d of the whole.
/// </summary>
public sealed record Envelope(ulong ChainId, ulong Epoch, ulong Nonce, ulong GasLimit, ulong MaxFeePerGas, ulong MaxPriorityFeePerGas, byte[] Ciphertext, byte[] Signature)
{
    public const byte Version = 1;

    /// <summary>The header: version and the six integers.</summary>
    public const int HeaderSize = 1 + 6 * 8;

    /// <summary>The largest ciphertext: a transaction of the largest size, encrypted.</summary>
    public const int MaxCiphertextBytes = Transaction.MaxEncodedSize + ThresholdEncryption.Overhead;

    private static ReadOnlySpan<byte> SigningDomain => "CascoinL2/envelope/v1"u8;

    /// <summary>The header's bytes: what the ciphertext is bound to (its label).</summary>
    public byte[] Header
    {
        get
        {
            var writer = new SpanWriter(HeaderSize);
            writer.WriteByte(Version);
            writer.WriteUInt64(ChainId);
            writer.WriteUInt64(Epoch);
            writer.WriteUInt64(Nonce);
            writer.WriteUInt64(GasLimit);
            writer.WriteUInt64(MaxFeePerGas);
            writer.WriteUInt64(MaxPriorityFeePerGas);
            return writer.ToArray();
        }
    }

    /// <summary>The ciphertext's commitment: what the leader orders the envelope by, before anyone can read it.</summary>
    public Hash256 Commitment => new(Hashes.Sha256(Ciphertext));

    /// <summary>SHA-256d(domain ‖ header ‖ commitment): what the sender signs.</summary>
    public Hash256 SigningHash => new(Hashes.Sha256d([.. SigningDomain, .. Header, .. Commitment.ToArray()]));

    public Hash256 Id => new(Hashes.Sha256d(ToBytes()));

    /// <summary>The signer, or null when the signature does not recover.</summary>
    public Address? Sender => Blocks.SignatureSigners.Recover(Signature, SigningHash.ToArray());

    /// <summary>
    /// Encrypts <paramref name="transaction"/> (signed by <paramref name="key"/>, whose nonce the
    /// envelope carries) to epoch <paramref name="epoch"/>'s key and signs the envelope.
    /// </summary>
    public static Envelope Seal(Transaction transaction, ulong epoch, byte[] epochKey, ulong gasLimit, ulong maxFeePerGas, ulong maxPriorityFeePerGas, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(key);
        var unsigned = new Envelope(transaction.ChainId, epoch, transaction.Nonce, gasLimit, maxFeePerGas, maxPriorityFeePerGas, [], new byte[RecoverableSignature.Size]);
        var ciphered = unsigned with { Ciphertext = ThresholdEncryption.Encrypt(epochKey, transaction.ToBytes(), unsigned.Header) };
        return ciphered with { Signature = key.SignRecoverable(ciphered.SigningHash.ToArray()).ToArray() };
    }

    /// <summary>Whether the ciphertext is well formed under this header: sequencers order and decrypt only such envelopes.</summary>
    public bool IsWellFormed => ThresholdEncryption.IsWellFormed(Ciphertext, Header);

    /// <summary>
    /// The transaction inside, given its decrypted bytes: null when they are not a transaction, or one
    /// that may not ride in this envelope (another chain, another sender, another nonce). Such an
    /// envelope still pays its fee; its contents do nothing.
    /// </summary>
    public Transaction? Open(byte[] plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        Transaction inner;
        try
        {
            inner = Transaction.Decode(plaintext);
        }
        catch (DecodeException)
        {
            return null;
        }
        return inner.ChainId == ChainId && inner.Nonce == Nonce && inner.Sender is { } sender && sender == Sender ? inner : null;
    }

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(HeaderSize + 5 + Ciphertext.Length + RecoverableSignature.Size);
        writer.WriteBytes(Header);
        writer.WriteVarBytes(Ciphertext);
        writer.WriteBytes(Signature);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">on bytes that are not an envelope (its signature and ciphertext are not checked here).</exception>
    public static Envelope Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        if (reader.ReadByte() != Version)
            throw new DecodeException("unknown envelope version");
        var envelope = new Envelope(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(),
            reader.ReadVarBytes(MaxCiphertextBytes), reader.ReadBytes(RecoverableSignature.Size));
        reader.EnsureEnd();
        return envelope;
    }
}
