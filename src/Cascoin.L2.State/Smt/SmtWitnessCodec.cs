using Cascoin.L2.Primitives;

namespace Cascoin.L2.State.Smt;

/// <summary>
/// The bytes of a witness, as a one-step proof carries it to L1 (doc/fraud-proofs.md):
/// CompactSize n ≤ <see cref="MaxEntries"/>, then per entry: key (32) ‖ present (1 byte, 0 or 1) ‖
/// if present, varbytes value ≤ <see cref="MaxValueBytes"/> ‖ varbytes compact proof
/// (<see cref="SmtProofCodec"/>, ≤ <see cref="MaxProofBytes"/>). Whether the witness is true is for
/// <see cref="SmtPartialTree.FromWitness"/>; decoding only checks the form.
/// </summary>
public static class SmtWitnessCodec
{
    /// <summary>Keys one step may touch, with room for the keys that close delete gaps.</summary>
    public const int MaxEntries = 1024;

    /// <summary>The largest state value (an account record, a bridge record with its data).</summary>
    public const int MaxValueBytes = 300 * 1024;

    /// <summary>A compact proof: depth, leaf kind and key, a bitmap of non-zero siblings and at most 256 of them.</summary>
    public const int MaxProofBytes = 2 + 1 + 64 + 32 + 256 * 32;

    public static byte[] Encode(IReadOnlyList<SmtWitnessEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count > MaxEntries)
            throw new ArgumentException($"a witness holds at most {MaxEntries} keys, not {entries.Count}", nameof(entries));
        var writer = new SpanWriter();
        writer.WriteCompactSize((ulong)entries.Count);
        foreach (var entry in entries)
        {
            writer.WriteHash256(entry.Key);
            writer.WriteBool(entry.Value is not null);
            if (entry.Value is { } value)
                writer.WriteVarBytes(value);
            writer.WriteVarBytes(entry.Proof.ToCompact());
        }
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">on bytes that are not a witness: too many entries, a value or proof too long or malformed, trailing bytes.</exception>
    public static IReadOnlyList<SmtWitnessEntry> Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var count = (int)reader.ReadCompactSize(MaxEntries);
        var entries = new List<SmtWitnessEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadHash256();
            var value = reader.ReadBool() ? reader.ReadVarBytes(MaxValueBytes) : null;
            var compact = reader.ReadSpan(reader.ReadLength(MaxProofBytes));
            if (!SmtProofCodec.TryDecode(key, compact, out var proof))
                throw new DecodeException($"witness entry {i}: the proof of key {key} is malformed");
            entries.Add(new SmtWitnessEntry(key, value, proof));
        }
        reader.EnsureEnd();
        return entries;
    }
}
