using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Sequencing.Consensus;

/// <summary>
/// <c>l2propose</c>: a leader's proposal — its signed <see cref="VoteStep.Proposal"/> message for
/// the block, the round whose prevotes justify a re-proposal (−1 for a fresh block), and the block.
/// The proof-of-lock-change round is not signed: a relay that alters it can only make honest nodes
/// prevote nil (they check the 2/3 prevotes it points at themselves).
/// Encoding: signed vote (<see cref="SignedVote.EncodedSize"/>) ‖ polRound i32 ‖ block.
/// </summary>
public sealed record ProposalMessage(SignedVote Proposal, int PolRound, Block Block)
{
    // Encoded once: a proposal is relayed and repaired several times, and its block is the bulk of it.
    private byte[]? _bytes;

    public byte[] ToBytes()
    {
        if (_bytes is null)
        {
            var writer = new SpanWriter(SignedVote.EncodedSize + 4 + 1024);
            Proposal.WriteTo(writer);
            writer.WriteInt32(PolRound);
            writer.WriteBytes(Block.ToBytes());
            _bytes = writer.ToArray();
        }
        return _bytes;
    }

    /// <summary>The signed proposal alone, without decoding the block (a repeat is recognised before the costly part).</summary>
    /// <exception cref="DecodeException">too short, or not a signed proposal.</exception>
    public static SignedVote PeekProposal(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < SignedVote.EncodedSize + 4)
            throw new DecodeException("a proposal is a signed message, a round and a block");
        var reader = new SpanReader(payload[..SignedVote.EncodedSize]);
        var proposal = SignedVote.Read(ref reader);
        if (proposal.Step != VoteStep.Proposal)
            throw new DecodeException("a proposal's signed message has the proposal step");
        return proposal;
    }

    /// <exception cref="DecodeException">not a proposal, or one whose parts disagree.</exception>
    public static ProposalMessage FromBytes(ReadOnlySpan<byte> payload)
    {
        var proposal = PeekProposal(payload);
        var polRound = new SpanReader(payload[SignedVote.EncodedSize..]).ReadInt32();
        var block = Block.Decode(payload[(SignedVote.EncodedSize + 4)..]);
        if (proposal.Block != block.Hash || proposal.Height != block.Number)
            throw new DecodeException("the proposal's signed message does not name its block");
        if (polRound < -1 || polRound >= proposal.Round)
            throw new DecodeException($"proof-of-lock round {polRound} is not before round {proposal.Round}");
        return new ProposalMessage(proposal, polRound, block) { _bytes = payload.ToArray() };
    }
}

/// <summary>
/// <c>l2vote</c>: a prevote or precommit with the voter's address in front, so a vote from outside
/// the height's set is dropped (and its sender charged) before any signature recovery; the
/// signature must then recover to that address. Encoding: voter (20) ‖ signed vote.
/// </summary>
public sealed record VoteMessage(Address Voter, SignedVote Vote)
{
    public const int EncodedSize = Address.Size + SignedVote.EncodedSize;

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(EncodedSize);
        writer.WriteAddress(Voter);
        Vote.WriteTo(writer);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">not exactly one vote message.</exception>
    public static VoteMessage FromBytes(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        var voter = reader.ReadAddress();
        var vote = SignedVote.Read(ref reader);
        reader.EnsureEnd();
        if (vote.Step == VoteStep.Proposal)
            throw new DecodeException("a proposal travels as l2propose, not as a vote");
        return new VoteMessage(voter, vote);
    }
}

/// <summary>The sequencer network's P2P commands.</summary>
public static class ConsensusMessages
{
    public const string Propose = "l2propose";
    public const string Vote = "l2vote";
    public const string Announce = "seqannounce";
}
