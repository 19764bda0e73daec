using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts.Fraud;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// Opens a fraud-proof game (doc/fraud-proofs.md) over L2 block <see cref="Block"/> of anchor
/// <see cref="AnchorIndex"/>: the challenger disputes its state root and bonds the chain's challenge
/// bond; <see cref="Evidence"/> names the block (headers to the anchor's last, its parent certificate,
/// its transaction ids).
/// </summary>
public sealed record ChallengeCall(ulong ChainId, ulong AnchorIndex, ulong Block, DisputeEvidence Evidence) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.Challenge;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(AnchorIndex);
        writer.WriteUInt64(Block);
        writer.WriteCompactSize((ulong)Evidence.Headers.Count);
        foreach (var header in Evidence.Headers)
            header.WriteTo(writer);
        Evidence.ParentCommit.WriteTo(writer);
        writer.WriteCompactSize((ulong)Evidence.TransactionIds.Count);
        foreach (var id in Evidence.TransactionIds)
            writer.WriteHash256(id);
    }

    /// <exception cref="DecodeException">on a malformed payload.</exception>
    internal static ChallengeCall Read(ref SpanReader reader)
    {
        var (chainId, anchorIndex, block) = (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64());
        var headers = new BlockHeader[(int)reader.ReadCompactSize(AnchorCall.MaxHeaders + 2)];
        for (var i = 0; i < headers.Length; i++)
            headers[i] = BlockHeader.Read(ref reader);
        var commit = CommitCertificate.Read(ref reader);
        var ids = new Hash256[(int)reader.ReadCompactSize(OneStepProof.MaxStep)];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = reader.ReadHash256();
        if (headers.Length == 0)
            throw new DecodeException("a challenge names the block by its headers");
        return new ChallengeCall(chainId, anchorIndex, block, new DisputeEvidence(headers, commit, ids));
    }
}

/// <summary>The defenders' move in game <see cref="Game"/>: the commitments at the round's cuts.</summary>
public sealed record DissectCall(ulong ChainId, ulong Game, IReadOnlyList<Hash256> Cuts) : L1Call
{
    /// <summary>The widest cut a round may have (a chain's width is at most this).</summary>
    public const int MaxCuts = 255;

    public override L1TransactionKind Kind => L1TransactionKind.Dissect;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Game);
        writer.WriteCompactSize((ulong)Cuts.Count);
        foreach (var cut in Cuts)
            writer.WriteHash256(cut);
    }

    internal static DissectCall Read(ref SpanReader reader)
    {
        var (chainId, game) = (reader.ReadUInt64(), reader.ReadUInt64());
        var cuts = new Hash256[(int)reader.ReadCompactSize(MaxCuts)];
        for (var i = 0; i < cuts.Length; i++)
            cuts[i] = reader.ReadHash256();
        return new DissectCall(chainId, game, cuts);
    }
}

/// <summary>The challenger's move in game <see cref="Game"/>: the part whose end it disputes.</summary>
public sealed record ChooseStepCall(ulong ChainId, ulong Game, ushort Part) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.ChooseStep;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Game);
        writer.WriteUInt16(Part);
    }
}

/// <summary>The challenger's one-step proof (<see cref="OneStepProof.ToBytes"/>) of game <see cref="Game"/>'s last disputed step.</summary>
public sealed record ProveStepCall(ulong ChainId, ulong Game, byte[] Proof) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.ProveStep;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(Game);
        writer.WriteVarBytes(Proof);
    }
}
