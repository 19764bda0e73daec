using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>What one L1 transaction did: success, or the contract's refusal (the fee is paid either way), and what it delivered.</summary>
public sealed record L1Receipt(Hash256 TransactionId, L1Refusal? Refusal, string? Event)
{
    public bool Success => Refusal is null;

    /// <summary>The refusal's message for people, or null.</summary>
    public string? Error => Refusal?.Message;

    public void WriteTo(SpanWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteHash256(TransactionId);
        writer.WriteBool(Success);
        Refusal?.WriteTo(writer);
        writer.WriteVarBytes(System.Text.Encoding.UTF8.GetBytes(Event ?? ""));
    }

    public static L1Receipt Read(ref SpanReader reader)
    {
        var id = reader.ReadHash256();
        var refusal = reader.ReadBool() ? null : L1Refusal.Read(ref reader);
        var message = System.Text.Encoding.UTF8.GetString(reader.ReadVarBytes(L1Transaction.MaxPayloadBytes));
        return new L1Receipt(id, refusal, message.Length == 0 ? null : message);
    }
}
