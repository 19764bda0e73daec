using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Transactions;

/// <summary>
/// A signed L2 transaction (SPEC §5). Immutable; the sender is not a field but recovered from the
/// signature over <see cref="SigningHash"/>, which commits to a domain tag and the chain id.
/// </summary>
/// <remarks>
/// Encoding (doc/chain.md): type u8 ‖ chainId u64 ‖ nonce u64 ‖ to (20) ‖ value i64 ‖ maxFeePerGas u64 ‖
/// maxPriorityFeePerGas u64 ‖ gasLimit u64 ‖ data (CompactSize length ‖ bytes) ‖ signature (65),
/// integers little-endian. The id is SHA-256d of the whole encoding.
/// </remarks>
public sealed class Transaction
{
    /// <summary>Largest calldata accepted (bytes).</summary>
    public const int MaxDataBytes = 128 * 1024;

    /// <summary>Bytes before the data: type, chain id, nonce, to, value, two fee caps, gas limit.</summary>
    public const int FixedSize = 1 + 8 + 8 + Address.Size + 8 + 8 + 8 + 8;

    public const int MaxEncodedSize = FixedSize + 5 + MaxDataBytes + RecoverableSignature.Size;

    /// <summary>Prefixed to the unsigned bytes before hashing, so a transaction signature can never be read as a vote or an anchor.</summary>
    private static readonly byte[] SigningDomain = "CascoinL2/tx/v1"u8.ToArray();

    private readonly byte[] _data;
    private readonly byte[] _signature;
    private byte[]? _encoded;
    private Hash256? _id;
    /// <summary>The recovered sender (null inside: no valid signature), published as one reference so threads never see half of it.</summary>
    private System.Runtime.CompilerServices.StrongBox<Address?>? _sender;

    /// <summary>For an envelope: whether its ciphertext is well formed, once checked (<see cref="Envelope.IsWellFormed"/>).</summary>
    internal bool? WellFormedEnvelope
    {
        get => _wellFormed?.Value;
        set => _wellFormed = value is { } known ? new(known) : null;
    }

    private System.Runtime.CompilerServices.StrongBox<bool>? _wellFormed;

    public Transaction(TransactionType type, ulong chainId, ulong nonce, Address to, Amount value, ulong maxFeePerGas,
        ulong maxPriorityFeePerGas, ulong gasLimit, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (!signature.IsEmpty && signature.Length != RecoverableSignature.Size)
            throw new ArgumentException($"a signature is {RecoverableSignature.Size} bytes", nameof(signature));
        if (!value.IsMoneyRange)
            throw new ArgumentOutOfRangeException(nameof(value), value, "a value is within 0..MaxMoney");
        if (data.Length > MaxDataBytes)
            throw new ArgumentOutOfRangeException(nameof(data), data.Length, $"data is at most {MaxDataBytes} bytes");
        Type = type;
        ChainId = chainId;
        Nonce = nonce;
        To = to;
        Value = value;
        MaxFeePerGas = maxFeePerGas;
        MaxPriorityFeePerGas = maxPriorityFeePerGas;
        GasLimit = gasLimit;
        _data = data.ToArray();
        _signature = signature.IsEmpty ? new byte[RecoverableSignature.Size] : signature.ToArray();
    }

    public TransactionType Type { get; }

    public ulong ChainId { get; }

    public ulong Nonce { get; }

    /// <summary>Recipient: the L2 account of a transfer, the L1 address of a withdrawal.</summary>
    public Address To { get; }

    public Amount Value { get; }

    /// <summary>The most the sender pays per gas (sat), base fee and tip together.</summary>
    public ulong MaxFeePerGas { get; }

    /// <summary>The most of the price per gas (sat) that goes beyond the base fee.</summary>
    public ulong MaxPriorityFeePerGas { get; }

    public ulong GasLimit { get; }

    public ReadOnlySpan<byte> Data => _data;

    public int DataLength => _data.Length;

    /// <summary>The 65-byte recoverable signature as carried (all zero when unsigned; see <see cref="Sign"/>).
    /// Any bytes decode; bytes that are not a valid signature simply have no <see cref="Sender"/>.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>SHA-256d of the encoding (shown byte-reversed, like Bitcoin txids).</summary>
    public Hash256 Id => _id ??= new Hash256(Hashes.Sha256d(Encoded));

    public int Size => Encoded.Length;

    private byte[] Encoded => _encoded ??= Encode();

    /// <summary>The hash the sender signs: SHA-256d(domain tag ‖ unsigned bytes), the unsigned bytes holding the type and the chain id.</summary>
    public Hash256 SigningHash
    {
        get
        {
            var writer = new SpanWriter(SigningDomain.Length + FixedSize + 5 + _data.Length);
            writer.WriteBytes(SigningDomain);
            WriteUnsigned(writer);
            return new Hash256(Hashes.Sha256d(writer.WrittenSpan));
        }
    }

    /// <summary>
    /// The address whose key made the signature, or null when the signature is not valid for this
    /// transaction. Recovered once and remembered (recovery is the costly part of admission).
    /// </summary>
    public Address? Sender => (_sender ??= new(Recover())).Value;

    private Address? Recover()
    {
        Span<byte> hash = stackalloc byte[32];
        SigningHash.WriteTo(hash);
        return RecoverableSignature.TryParse(_signature, out var signature) && signature.TryRecover(hash, out var publicKey)
            ? Address.FromPublicKey(publicKey.AsSpan())
            : null;
    }

    /// <summary>A copy of <paramref name="unsigned"/> signed with <paramref name="key"/>.</summary>
    public static Transaction Sign(Transaction unsigned, PrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(unsigned);
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[32];
        unsigned.SigningHash.WriteTo(hash);
        var signature = key.SignRecoverable(hash);
        var signed = unsigned.WithSignature(signature.AsSpan());
        // The signer is known, so the first use needs no recovery.
        signed._sender = new(Address.FromPublicKey(key.PublicKey.AsSpan()));
        return signed;
    }

    /// <summary>An unsigned transaction (all-zero signature): sign it with <see cref="Sign"/>.</summary>
    public static Transaction CreateUnsigned(TransactionType type, ulong chainId, ulong nonce, Address to, Amount value,
        ulong maxFeePerGas, ulong maxPriorityFeePerGas, ulong gasLimit, ReadOnlySpan<byte> data = default) =>
        new(type, chainId, nonce, to, value, maxFeePerGas, maxPriorityFeePerGas, gasLimit, data, default);

    private Transaction WithSignature(ReadOnlySpan<byte> signature) =>
        new(Type, ChainId, Nonce, To, Value, MaxFeePerGas, MaxPriorityFeePerGas, GasLimit, _data, signature);

    private void WriteUnsigned(SpanWriter writer)
    {
        writer.WriteByte((byte)Type);
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Nonce);
        writer.WriteAddress(To);
        writer.WriteAmount(Value);
        writer.WriteUInt64(MaxFeePerGas);
        writer.WriteUInt64(MaxPriorityFeePerGas);
        writer.WriteUInt64(GasLimit);
        writer.WriteVarBytes(_data);
    }

    private byte[] Encode()
    {
        var writer = new SpanWriter(FixedSize + 5 + _data.Length + RecoverableSignature.Size);
        WriteTo(writer);
        return writer.ToArray();
    }

    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_encoded is not null)
        {
            writer.WriteBytes(_encoded);
            return;
        }
        WriteUnsigned(writer);
        writer.WriteBytes(_signature);
    }

    public byte[] ToBytes() => (byte[])Encoded.Clone();

    /// <exception cref="DecodeException">the bytes are not exactly one transaction.</exception>
    public static Transaction Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxEncodedSize)
            throw new DecodeException($"transaction of {bytes.Length} bytes is larger than the limit of {MaxEncodedSize}");
        var reader = new SpanReader(bytes);
        var transaction = Read(ref reader);
        reader.EnsureEnd();
        transaction._encoded = bytes.ToArray();
        return transaction;
    }

    /// <summary>Reads one transaction from a longer stream (a block body).</summary>
    /// <exception cref="DecodeException">on malformed input.</exception>
    public static Transaction Read(ref SpanReader reader)
    {
        var typeByte = reader.ReadByte();
        if (!Enum.IsDefined((TransactionType)typeByte))
            throw new DecodeException($"unknown transaction type {typeByte}");
        var chainId = reader.ReadUInt64();
        var nonce = reader.ReadUInt64();
        var to = reader.ReadAddress();
        var value = reader.ReadAmount();
        if (!value.IsMoneyRange)
            throw new DecodeException($"transaction value {value.Sat} sat is outside 0..MaxMoney");
        var maxFee = reader.ReadUInt64();
        var maxPriority = reader.ReadUInt64();
        var gasLimit = reader.ReadUInt64();
        var data = reader.ReadSpan(reader.ReadLength(MaxDataBytes));
        var signature = reader.ReadSpan(RecoverableSignature.Size);
        return new Transaction((TransactionType)typeByte, chainId, nonce, to, value, maxFee, maxPriority, gasLimit, data, signature);
    }

    public override string ToString() => $"{Type} {Id} nonce {Nonce}";
}
