using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Contracts.Fraud;

/// <summary>
/// One fraud-proof game as the L1 keeps it: who challenged which block of which anchor with what bond,
/// the challenge as it was posted (its evidence rebuilds the block's frame when the last step is
/// proven), and the game's rules state (<see cref="DissectionGame"/>).
/// </summary>
public sealed record GameRecord(ulong Id, ulong ChainId, ulong AnchorIndex, ulong Block, Address Challenger, Amount Bond, ulong OpenedHeight,
    byte[] Challenge, DissectionGame Game)
{
    public ChallengeCall ChallengeCall => (ChallengeCall)L1Call.Decode(L1TransactionKind.Challenge, Challenge);

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(256 + Challenge.Length);
        writer.WriteUInt64(Id);
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(AnchorIndex);
        writer.WriteUInt64(Block);
        writer.WriteAddress(Challenger);
        writer.WriteAmount(Bond);
        writer.WriteUInt64(OpenedHeight);
        writer.WriteVarBytes(Challenge);
        writer.WriteInt32(Game.Lo);
        writer.WriteInt32(Game.Hi);
        writer.WriteHash256(Game.LoCommitment);
        writer.WriteHash256(Game.HiCommitment);
        writer.WriteCompactSize((ulong)(Game.Cuts?.Count ?? 0));
        foreach (var cut in Game.Cuts ?? [])
            writer.WriteHash256(cut);
        writer.WriteByte((byte)Game.Phase);
        writer.WriteUInt64(Game.Deadline);
        writer.WriteUInt64(Game.MoveBlocks);
        writer.WriteInt32(Game.Width);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">on bytes that are not a game record.</exception>
    public static GameRecord FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var (id, chainId, anchor, block) = (reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64());
        var (challenger, bond, opened) = (reader.ReadAddress(), reader.ReadAmount(), reader.ReadUInt64());
        var challenge = reader.ReadVarBytes(L1Transaction.MaxPayloadBytes);
        var (lo, hi, loCommitment, hiCommitment) = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadHash256(), reader.ReadHash256());
        var cutCount = (int)reader.ReadCompactSize(DissectCall.MaxCuts);
        var cuts = new Hash256[cutCount];
        for (var i = 0; i < cutCount; i++)
            cuts[i] = reader.ReadHash256();
        var phase = reader.ReadByte();
        if (phase > (byte)GamePhase.Annulled)
            throw new DecodeException($"unknown game phase {phase}");
        var game = new DissectionGame(lo, hi, loCommitment, hiCommitment, cutCount == 0 ? null : cuts, (GamePhase)phase, reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadInt32());
        reader.EnsureEnd();
        return new GameRecord(id, chainId, anchor, block, challenger, bond, opened, challenge, game);
    }
}

/// <summary>The open games of a chain (id and anchor index), and the number of games it ever had (the next id).</summary>
public sealed record OpenGames(ulong Count, IReadOnlyList<(ulong Id, ulong AnchorIndex)> Open)
{
    public static OpenGames None { get; } = new(0, []);

    /// <summary>Whether an anchor at or before <paramref name="anchorIndex"/> is under challenge: a proven fraud there would revert this one too.</summary>
    public bool Holds(ulong anchorIndex) => Open.Any(g => g.AnchorIndex <= anchorIndex);

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(16 + 16 * Open.Count);
        writer.WriteUInt64(Count);
        writer.WriteCompactSize((ulong)Open.Count);
        foreach (var (id, anchor) in Open)
        {
            writer.WriteUInt64(id);
            writer.WriteUInt64(anchor);
        }
        return writer.ToArray();
    }

    public static OpenGames FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var count = reader.ReadUInt64();
        var open = new (ulong, ulong)[(int)reader.ReadCompactSize(1_000_000)];
        for (var i = 0; i < open.Length; i++)
            open[i] = (reader.ReadUInt64(), reader.ReadUInt64());
        reader.EnsureEnd();
        return new OpenGames(count, open);
    }
}

/// <summary>A challenger's open games, its lost ones in a row, and until when it may not challenge (repeated losers wait).</summary>
public sealed record ChallengerRecord(int Open, int LostInARow, ulong BannedUntil)
{
    public static ChallengerRecord None { get; } = new(0, 0, 0);

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(24);
        writer.WriteInt32(Open);
        writer.WriteInt32(LostInARow);
        writer.WriteUInt64(BannedUntil);
        return writer.ToArray();
    }

    public static ChallengerRecord FromBytes(ReadOnlySpan<byte> bytes)
    {
        var reader = new SpanReader(bytes);
        var record = new ChallengerRecord(reader.ReadInt32(), reader.ReadInt32(), reader.ReadUInt64());
        reader.EnsureEnd();
        return record;
    }
}
