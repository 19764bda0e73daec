using System.Text;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Discovery;

/// <summary>
/// SEQANNOUNCE (SPEC §7): a sequencer says where it can be reached. Signed by its key; the stake and
/// score it claims are informative only — receivers check eligibility against the L1.
/// Encoding: <c>chainId u64 ‖ publicKey (33) ‖ endpoint (CompactSize ‖ UTF-8, ≤ 255) ‖ stake i64 ‖
/// score u8 ‖ L1 height u64 ‖ expiry (unix s) u64 ‖ signature (65)</c>; the signature covers
/// SHA-256d("CascoinL2/seqannounce/v1" ‖ the bytes before it).
/// </summary>
public sealed record SequencerAnnouncement(ulong ChainId, PublicKey PublicKey, string Endpoint, Amount ClaimedStake, byte ClaimedScore,
    ulong L1Height, ulong ExpiresAt, byte[] Signature)
{
    public const int MaxEndpointBytes = 255;

    private static readonly byte[] Domain = "CascoinL2/seqannounce/v1"u8.ToArray();

    public Address Address => Address.FromPublicKey(PublicKey.AsSpan());

    public static SequencerAnnouncement Sign(ulong chainId, PrivateKey key, string endpoint, Amount stake, byte score, ulong l1Height, ulong expiresAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (Encoding.UTF8.GetByteCount(endpoint) > MaxEndpointBytes)
            throw new ArgumentException($"an endpoint is at most {MaxEndpointBytes} bytes", nameof(endpoint));
        var unsigned = new SequencerAnnouncement(chainId, key.PublicKey, endpoint, stake, score, l1Height, expiresAt, []);
        Span<byte> hash = stackalloc byte[Hash256.Size];
        unsigned.SigningHash().WriteTo(hash);
        return unsigned with { Signature = key.SignRecoverable(hash).ToArray() };
    }

    public Hash256 SigningHash()
    {
        var writer = new SpanWriter(Domain.Length + 160);
        writer.WriteBytes(Domain);
        WriteBody(writer);
        return new Hash256(Hashes.Sha256d(writer.WrittenSpan));
    }

    /// <summary>Whether the signature recovers exactly the announced public key.</summary>
    public bool HasValidSignature()
    {
        Span<byte> hash = stackalloc byte[Hash256.Size];
        SigningHash().WriteTo(hash);
        return RecoverableSignature.TryParse(Signature, out var signature) && signature.TryRecover(hash, out var key) && key == PublicKey;
    }

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(160);
        WriteBody(writer);
        writer.WriteBytes(Signature);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not an announcement.</exception>
    public static SequencerAnnouncement FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var chainId = reader.ReadUInt64();
        if (!PublicKey.TryParse(reader.ReadSpan(PublicKey.Size), out var publicKey))
            throw new DecodeException("the announced public key is not a valid secp256k1 point");
        string endpoint;
        try
        {
            endpoint = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(reader.ReadVarBytes(MaxEndpointBytes));
        }
        catch (DecoderFallbackException)
        {
            throw new DecodeException("the endpoint is not valid UTF-8");
        }
        var stake = reader.ReadAmount();
        var score = reader.ReadByte();
        var l1Height = reader.ReadUInt64();
        var expiresAt = reader.ReadUInt64();
        var signature = reader.ReadBytes(RecoverableSignature.Size);
        reader.EnsureEnd();
        return new SequencerAnnouncement(chainId, publicKey, endpoint, stake, score, l1Height, expiresAt, signature);
    }

    private void WriteBody(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteBytes(PublicKey.AsSpan());
        writer.WriteVarBytes(Encoding.UTF8.GetBytes(Endpoint));
        writer.WriteAmount(ClaimedStake);
        writer.WriteByte(ClaimedScore);
        writer.WriteUInt64(L1Height);
        writer.WriteUInt64(ExpiresAt);
    }
}
