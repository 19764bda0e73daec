using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Consensus;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests;

public sealed class VoteEncodingTests
{
    [Fact]
    public void A_vote_round_trips_and_recovers_its_signer()
    {
        var vote = L2Vote.Sign(5, 9, new Hash256(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()), VoteKind.Accept, SequencerKeys.Key(3));
        var bytes = vote.ToBytes();
        Assert.Equal(L2Vote.EncodedSize, bytes.Length);
        var decoded = L2Vote.FromBytes(bytes);
        Assert.Equal(vote.ToBytes(), decoded.ToBytes());
        Assert.Equal(SequencerKeys.AddressOf(3), decoded.RecoverVoter());
        // A vote re-labelled from REJECT to ACCEPT no longer recovers its signer.
        var rejected = L2Vote.Sign(5, 9, vote.BlockHash, VoteKind.Reject, SequencerKeys.Key(3));
        Assert.NotEqual(SequencerKeys.AddressOf(3), (rejected with { Kind = VoteKind.Accept }).RecoverVoter());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(255)]
    public void An_unknown_vote_kind_is_refused(byte kind)
    {
        var bytes = L2Vote.Sign(1, 1, Hash256.Zero, VoteKind.Accept, SequencerKeys.Key(1)).ToBytes();
        bytes[48] = kind;
        Assert.Throws<DecodeException>(() => L2Vote.FromBytes(bytes));
    }

    /// <summary>Any byte string either decodes to a vote that re-encodes to itself or throws <see cref="DecodeException"/>, never anything else.</summary>
    [Property(MaxTest = 300)]
    public void Arbitrary_bytes_decode_or_fail_cleanly(byte[] bytes, bool asLongAsAVote)
    {
        var input = asLongAsAVote ? [.. bytes.Concat(new byte[L2Vote.EncodedSize]).Take(L2Vote.EncodedSize)] : bytes;
        try
        {
            Assert.Equal(input, L2Vote.FromBytes(input).ToBytes());
        }
        catch (DecodeException)
        {
            // Refused: the only acceptable failure.
        }
    }
}
