using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>The consensus messages' codecs: one form each, and random bytes never crash, only reject.</summary>
public sealed class ConsensusMessageEncodingTests
{
    private static readonly Hash256 Block = SequencerKeys.RandomHash(new Random(7));

    [Fact]
    public void A_vote_message_round_trips_and_its_signature_recovers_the_voter()
    {
        var vote = SignedVote.Sign(5, 9, 3, VoteStep.Precommit, Block, SequencerKeys.Key(2));
        var message = new VoteMessage(SequencerKeys.AddressOf(2), vote);
        var bytes = message.ToBytes();

        Assert.Equal(VoteMessage.EncodedSize, bytes.Length);
        var decoded = VoteMessage.FromBytes(bytes);
        Assert.Equal(bytes, decoded.ToBytes());
        Assert.Equal(SequencerKeys.AddressOf(2), decoded.Vote.RecoverSigner());
        // Any other round, step or block recovers someone else.
        Assert.NotEqual(SequencerKeys.AddressOf(2), (vote with { Round = 4 }).RecoverSigner());
        Assert.NotEqual(SequencerKeys.AddressOf(2), (vote with { Step = VoteStep.Prevote }).RecoverSigner());
        Assert.NotEqual(SequencerKeys.AddressOf(2), (vote with { Block = Hash256.Zero }).RecoverSigner());
        Assert.True((vote with { Block = Hash256.Zero }).IsNil);
    }

    [Fact]
    public void Malformed_votes_and_proposals_are_refused_by_reason()
    {
        var vote = SignedVote.Sign(5, 9, 3, VoteStep.Prevote, Block, SequencerKeys.Key(2));
        var bytes = new VoteMessage(SequencerKeys.AddressOf(2), vote).ToBytes();
        Assert.Throws<DecodeException>(() => VoteMessage.FromBytes([.. bytes, 0]));
        Assert.Throws<DecodeException>(() => VoteMessage.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        var badStep = bytes.ToArray();
        badStep[Address.Size + 20] = 9;
        Assert.Throws<DecodeException>(() => VoteMessage.FromBytes(badStep));
        var proposalStep = new VoteMessage(SequencerKeys.AddressOf(2), vote with { Step = VoteStep.Proposal }).ToBytes();
        Assert.Throws<DecodeException>(() => VoteMessage.FromBytes(proposalStep));
        var hugeRound = bytes.ToArray();
        BitConverter.GetBytes(uint.MaxValue).CopyTo(hugeRound, Address.Size + 16);
        Assert.Throws<DecodeException>(() => VoteMessage.FromBytes(hugeRound));
        Assert.Throws<DecodeException>(() => ProposalMessage.FromBytes(new byte[SignedVote.EncodedSize]));
        Assert.Throws<DecodeException>(() => ProposalMessage.PeekProposal(new byte[10]));
    }

    [Property(MaxTest = 300)]
    public void Random_bytes_never_crash_a_decoder(byte[] bytes)
    {
        foreach (var decode in new Action[] { () => VoteMessage.FromBytes(bytes), () => ProposalMessage.FromBytes(bytes), () => SignedVote.FromBytes(bytes) })
        {
            try
            {
                decode();
            }
            catch (DecodeException)
            {
                // refused: the only other outcome allowed
            }
        }
    }
}
