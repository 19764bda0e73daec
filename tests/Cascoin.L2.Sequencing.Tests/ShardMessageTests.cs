using Cascoin.L2.DataAvailability.Commitments;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Relay;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests;

/// <summary>The getshard/shard payloads: they read back as written, and a peer's random or damaged bytes are a decode error, never a crash.</summary>
public sealed class ShardMessageTests
{
    private static (ShardCommitment Commitment, byte[][] Shards) Sample()
    {
        var data = new byte[3000];
        new Random(4).NextBytes(data);
        return ShardCommitment.Of(data);
    }

    [Fact]
    public void A_request_and_a_reply_read_back_and_the_proof_still_verifies()
    {
        Assert.Equal((7UL, 3UL, 41), ShardMessages.DecodeRequest(ShardMessages.EncodeRequest(7, 3, 41)));
        var (commitment, shards) = Sample();
        var (chain, batch, index, proof) = ShardMessages.DecodeReply(ShardMessages.EncodeReply(7, 3, 5, ShardCommitment.Prove(shards, 5)));
        Assert.Equal((7UL, 3UL, 5), (chain, batch, index));
        Assert.True(commitment.Verifies(proof!));
        Assert.Null(ShardMessages.DecodeReply(ShardMessages.EncodeReply(7, 3, 5, null)).Proof);
        // A proof of one shard in the reply for another is refused, not taken as the one asked for.
        Assert.Throws<DecodeException>(() => ShardMessages.DecodeReply(ShardMessages.EncodeReply(7, 3, 6, ShardCommitment.Prove(shards, 5))));
    }

    [Property(MaxTest = 300)]
    public void Random_or_damaged_payloads_are_decode_errors(byte[] bytes, int position, byte flip)
    {
        var (_, shards) = Sample();
        var reply = ShardMessages.EncodeReply(1, 2, 9, ShardCommitment.Prove(shards, 9));
        reply[(int)((uint)position % reply.Length)] ^= flip == 0 ? (byte)1 : flip;
        foreach (var payload in new[] { bytes ?? [], reply })
        {
            try
            {
                ShardMessages.DecodeRequest(payload);
            }
            catch (DecodeException)
            {
            }
            try
            {
                ShardMessages.DecodeReply(payload);
            }
            catch (DecodeException)
            {
            }
        }
    }
}
