using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Sequencing.Encryption;
using FsCheck.Xunit;

namespace Cascoin.L2.Sequencing.Tests.Encryption;

/// <summary>
/// The <c>l2decshare</c> payload: a batch with its certificate and signed release, and a request,
/// read back as written; the release names the batch and the certificate, so changing either breaks
/// the member's signature; a peer's random or damaged bytes are a decode error, never a crash.
/// </summary>
public sealed class DecryptionShareMessageTests
{
    private static readonly Hash256 Block = new(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    private static DecryptionShareMessage SignedBatch()
    {
        var certificate = new CommitCertificate(1, [new byte[65], Enumerable.Repeat((byte)7, 65).ToArray()]);
        var message = new DecryptionShareMessage(9, 12, Block, 2, DecryptionShareKind.Batch, 0, [0, 3, 0, 0, 0, 0, 1, 2, 3]) { Certificate = certificate };
        return message with { Signature = SequencerKeys.Key(3).SignRecoverable(message.ReleaseDigest.ToArray()).ToArray() };
    }

    [Fact]
    public void A_batch_and_a_request_read_back_and_the_release_names_the_batch_and_its_certificate()
    {
        var batch = SignedBatch();
        var read = DecryptionShareMessage.Decode(batch.ToBytes());
        Assert.Equal(batch.ToBytes(), read.ToBytes());
        Assert.Equal(batch.Certificate.Hash, read.Certificate.Hash);
        Assert.Equal(SequencerKeys.AddressOf(3), SignatureSigners.Recover(read.Signature, read.ReleaseDigest.ToArray()));
        // Another certificate, other share bytes or another block: the member's signature no longer covers it.
        Assert.NotEqual(SequencerKeys.AddressOf(3), SignatureSigners.Recover(read.Signature, (read with { Certificate = CommitCertificate.Empty }).ReleaseDigest.ToArray()));
        Assert.NotEqual(SequencerKeys.AddressOf(3), SignatureSigners.Recover(read.Signature, (read with { Share = [0, 3, 0, 0, 0, 0, 9] }).ReleaseDigest.ToArray()));
        Assert.NotEqual(SequencerKeys.AddressOf(3), SignatureSigners.Recover(read.Signature, (read with { Block = 13 }).ReleaseDigest.ToArray()));

        var request = new DecryptionShareMessage(9, 12, Block, 2, DecryptionShareKind.Request, 4, []);
        var back = DecryptionShareMessage.Decode(request.ToBytes());
        Assert.Equal((DecryptionShareKind.Request, 4u), (back.Kind, back.Index));
        Assert.True(back.Certificate.IsEmpty);
        Assert.Empty(back.Signature);
        // A signature of any other length than 65 bytes is refused.
        Assert.Throws<DecodeException>(() => DecryptionShareMessage.Decode((request with { Signature = [1, 2, 3] }).ToBytes()));
    }

    [Property(MaxTest = 300)]
    public void Random_or_damaged_payloads_are_decode_errors(byte[] bytes, int position, byte flip)
    {
        var batch = SignedBatch().ToBytes();
        batch[(int)((uint)position % batch.Length)] ^= flip == 0 ? (byte)1 : flip;
        foreach (var payload in new[] { bytes ?? [], batch, batch[..^1] })
        {
            try
            {
                DecryptionShareMessage.Decode(payload);
            }
            catch (DecodeException)
            {
            }
        }
    }
}
