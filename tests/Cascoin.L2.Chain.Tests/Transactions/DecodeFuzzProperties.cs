using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using FsCheck.Xunit;

namespace Cascoin.L2.Chain.Tests.Transactions;

/// <summary>
/// Bytes from the network are hostile: whatever they are, <see cref="Transaction.Decode"/> and
/// <see cref="Block.Decode"/> either return a value whose canonical encoding is exactly those bytes,
/// or throw <see cref="DecodeException"/> — never any other exception (which would escape a peer
/// handler as a crash instead of a misbehaviour score). Inputs are random bytes and valid encodings
/// with bytes flipped, cut, appended or inserted.
/// </summary>
public sealed class DecodeFuzzProperties
{
    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 2000)]
    public void Transaction_decode_returns_the_exact_encoding_or_throws_DecodeException(FuzzInput input)
    {
        Transaction decoded;
        try
        {
            decoded = Transaction.Decode(input.Bytes);
        }
        catch (DecodeException)
        {
            return;
        }
        // Rebuilt from its fields (not from the cached input), the encoding is the input: one encoding per transaction.
        var rebuilt = new Transaction(decoded.Type, decoded.ChainId, decoded.Nonce, decoded.To, decoded.Value, decoded.MaxFeePerGas,
            decoded.MaxPriorityFeePerGas, decoded.GasLimit, decoded.Data, decoded.Signature);
        Assert.Equal(input.Bytes, rebuilt.ToBytes());
        Assert.Equal(decoded.Id, rebuilt.Id);
        // Sender recovery on arbitrary signature bytes answers, it does not throw.
        _ = decoded.Sender;
    }

    [Property(Arbitrary = [typeof(ChainGenerators)], MaxTest = 1000)]
    public void Block_decode_returns_the_exact_encoding_or_throws_DecodeException(FuzzInput input)
    {
        Block decoded;
        try
        {
            decoded = Block.Decode(input.Bytes);
        }
        catch (DecodeException)
        {
            return;
        }
        Assert.Equal(input.Bytes, decoded.ToBytes());
        Assert.Equal(new Hash256(Crypto.Hashes.Sha256d(input.Bytes.AsSpan(0, BlockHeader.EncodedSize))), decoded.Hash);
        // Signature recovery on arbitrary bytes answers null or signers, it does not throw.
        _ = decoded.RecoverSigners(Tx.ChainId);
    }

    [Property(MaxTest = 500)]
    public void Plain_random_byte_arrays_only_ever_raise_DecodeException(byte[] bytes)
    {
        foreach (var decode in new Action[] { () => Transaction.Decode(bytes), () => Block.Decode(bytes) })
        {
            try
            {
                decode();
            }
            catch (DecodeException)
            {
                // The only allowed failure.
            }
        }
    }
}
