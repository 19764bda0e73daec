using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// The circuit breaker (doc/settlement.md "Circuit breaker"): pauses a chain's bridge, or lifts the
/// pause, signed by sequencers of the chain's current set holding more than 2/3 of its weight — never
/// one node alone. <see cref="Nonce"/> is the chain's pause counter, so a signed pause or unpause
/// counts once and cannot be replayed after the next one. Anyone may submit it (and pays its fee).
/// </summary>
public sealed record BridgePauseCall(ulong ChainId, bool Pause, ulong Nonce, IReadOnlyList<byte[]> Signatures) : L1Call
{
    /// <summary>The most signatures one call carries (a sequencer set is at most this large).</summary>
    public const int MaxSignatures = 256;

    public override L1TransactionKind Kind => L1TransactionKind.SetBridgePause;

    /// <summary>What the sequencers sign: SHA-256d("cascoin-l2-bridge-pause-v1" ‖ chain id ‖ pause ‖ nonce).</summary>
    public static Hash256 DigestOf(ulong chainId, bool pause, ulong nonce)
    {
        var writer = new SpanWriter(48);
        writer.WriteBytes("cascoin-l2-bridge-pause-v1"u8);
        writer.WriteUInt64(chainId);
        writer.WriteBool(pause);
        writer.WriteUInt64(nonce);
        return new Hash256(Hashes.Sha256d(writer.ToArray()));
    }

    public Hash256 Digest => DigestOf(ChainId, Pause, Nonce);

    protected override void Write(SpanWriter writer)
    {
        if (Signatures.Any(s => s.Length != RecoverableSignature.Size))
            throw new ArgumentException("a bridge pause call holds 65-byte signatures");
        writer.WriteUInt64(ChainId);
        writer.WriteBool(Pause);
        writer.WriteUInt64(Nonce);
        writer.WriteCompactSize((ulong)Signatures.Count);
        foreach (var signature in Signatures)
            writer.WriteBytes(signature);
    }

    internal static BridgePauseCall Read(ref SpanReader reader)
    {
        var (chainId, pause, nonce) = (reader.ReadUInt64(), reader.ReadBool(), reader.ReadUInt64());
        var signatures = new byte[(int)reader.ReadCompactSize(MaxSignatures)][];
        for (var i = 0; i < signatures.Length; i++)
            signatures[i] = reader.ReadBytes(RecoverableSignature.Size);
        return new BridgePauseCall(chainId, pause, nonce, signatures);
    }
}
