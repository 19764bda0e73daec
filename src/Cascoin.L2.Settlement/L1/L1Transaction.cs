using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// A signed transaction of the embedded settlement chain. Account-based like the L2: the sender is
/// recovered from the signature, the nonce orders its transactions, the flat fee goes to the miner.
/// Encoding: kind u8 ‖ nonce u64 ‖ fee i64 ‖ payload (CompactSize ‖ bytes) ‖ signature (65); the id is
/// SHA-256d of it. The signed hash is SHA-256d("CascoinL1/tx/v1" ‖ network magic ‖ bytes before the
/// signature), so an L1 transaction never replays on another network nor reads as an L2 one.
/// </summary>
public sealed class L1Transaction
{
    public const int MaxPayloadBytes = 2 * 1024 * 1024;

    private static readonly byte[] SigningDomain = "CascoinL1/tx/v1"u8.ToArray();

    private readonly byte[] _payload;
    private readonly byte[] _signature;
    private byte[]? _encoded;
    private Hash256? _id;
    private System.Runtime.CompilerServices.StrongBox<Address?>? _sender;

    public L1Transaction(L1TransactionKind kind, ulong nonce, Amount fee, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature)
    {
        if (!fee.IsMoneyRange)
            throw new ArgumentOutOfRangeException(nameof(fee), fee, "a fee is within 0..MaxMoney");
        if (payload.Length > MaxPayloadBytes)
            throw new ArgumentOutOfRangeException(nameof(payload), payload.Length, $"a payload is at most {MaxPayloadBytes} bytes");
        if (!signature.IsEmpty && signature.Length != RecoverableSignature.Size)
            throw new ArgumentException($"a signature is {RecoverableSignature.Size} bytes", nameof(signature));
        Kind = kind;
        Nonce = nonce;
        Fee = fee;
        _payload = payload.ToArray();
        _signature = signature.IsEmpty ? new byte[RecoverableSignature.Size] : signature.ToArray();
    }

    public L1TransactionKind Kind { get; }

    public ulong Nonce { get; }

    public Amount Fee { get; }

    public ReadOnlySpan<byte> Payload => _payload;

    public ReadOnlySpan<byte> Signature => _signature;

    public Hash256 Id => _id ??= new Hash256(Hashes.Sha256d(Encoded));

    public int Size => Encoded.Length;

    private byte[] Encoded => _encoded ??= Encode();

    /// <summary>The sender, recovered for <paramref name="network"/>; null when the signature does not recover.</summary>
    public Address? RecoverSender(NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (_sender is { } known)
            return known.Value;
        Span<byte> hash = stackalloc byte[32];
        SigningHash(network).WriteTo(hash);
        Address? sender = RecoverableSignature.TryParse(_signature, out var signature) && signature.TryRecover(hash, out var key)
            ? Address.FromPublicKey(key.AsSpan())
            : null;
        _sender = new(sender);
        return sender;
    }

    public Hash256 SigningHash(NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var writer = new SpanWriter(SigningDomain.Length + 4 + 32 + _payload.Length);
        writer.WriteBytes(SigningDomain);
        writer.WriteBytes(network.MessageStart.Span);
        WriteUnsigned(writer);
        return new Hash256(Hashes.Sha256d(writer.WrittenSpan));
    }

    public static L1Transaction Sign(L1TransactionKind kind, ulong nonce, Amount fee, ReadOnlySpan<byte> payload, PrivateKey key, NetworkParameters network)
    {
        ArgumentNullException.ThrowIfNull(key);
        var unsigned = new L1Transaction(kind, nonce, fee, payload, default);
        Span<byte> hash = stackalloc byte[32];
        unsigned.SigningHash(network).WriteTo(hash);
        var signed = new L1Transaction(kind, nonce, fee, payload, key.SignRecoverable(hash).AsSpan());
        signed._sender = new(Address.FromPublicKey(key.PublicKey.AsSpan()));
        return signed;
    }

    private void WriteUnsigned(SpanWriter writer)
    {
        writer.WriteByte((byte)Kind);
        writer.WriteUInt64(Nonce);
        writer.WriteAmount(Fee);
        writer.WriteVarBytes(_payload);
    }

    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteUnsigned(writer);
        writer.WriteBytes(_signature);
    }

    private byte[] Encode()
    {
        var writer = new SpanWriter(32 + _payload.Length + RecoverableSignature.Size);
        WriteTo(writer);
        return writer.ToArray();
    }

    public byte[] ToBytes() => (byte[])Encoded.Clone();

    /// <exception cref="DecodeException">on malformed input.</exception>
    public static L1Transaction Read(ref SpanReader reader)
    {
        var kind = reader.ReadByte();
        // Every defined kind, not a named last one: a new kind must not be refused on the wire alone.
        if (!Enum.IsDefined((L1TransactionKind)kind))
            throw new DecodeException($"unknown L1 transaction kind {kind}");
        var nonce = reader.ReadUInt64();
        var fee = reader.ReadAmount();
        if (!fee.IsMoneyRange)
            throw new DecodeException($"L1 fee {fee.Sat} sat is outside 0..MaxMoney");
        var payload = reader.ReadSpan(reader.ReadLength(MaxPayloadBytes));
        var signature = reader.ReadSpan(RecoverableSignature.Size);
        return new L1Transaction((L1TransactionKind)kind, nonce, fee, payload, signature);
    }

    /// <exception cref="DecodeException">the bytes are not exactly one transaction.</exception>
    public static L1Transaction Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var transaction = Read(ref reader);
        reader.EnsureEnd();
        return transaction;
    }

    public override string ToString() => $"L1 {Kind} {Id}";
}
