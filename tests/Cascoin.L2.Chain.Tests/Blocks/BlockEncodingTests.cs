using System.Security.Cryptography;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Tests.Blocks;

/// <summary>Blocks, seals, receipts and Merkle roots: the encodings of SPEC §5 and their hashes.</summary>
public sealed class BlockEncodingTests
{
    private static readonly PrivateKey Sequencer = TestKeys.Key(100);

    private static BlockHeader Header(ulong number = 5, ulong timestamp = TestChains.GenesisTime + 500) => new(
        number, H("parent"), H("state"), H("txs"), H("receipts"), Hash256.Zero, TestKeys.AddressOf(Sequencer),
        timestamp, 30_000_000, 42_000, 10, 0, Hash256.Zero);

    private static Hash256 H(string text) => new(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void A_block_round_trips_and_its_hash_covers_the_header_only()
    {
        var header = Header();
        Transaction[] transactions = [Tx.Transfer(TestKeys.Key(1), 0, TestKeys.AddressAt(2), 5), Tx.Withdrawal(TestKeys.Key(2), 3, TestKeys.Outsider(1), 7)];
        var block = new Block(header, transactions, [Block.Seal(Tx.ChainId, header, Sequencer)]);
        var bytes = block.ToBytes();
        var decoded = Block.Decode(bytes);
        Assert.Equal(bytes, decoded.ToBytes());
        Assert.Equal(header, decoded.Header);
        Assert.Equal(header.Hash, decoded.Hash);
        Assert.Equal(new Hash256(Hashes.Sha256d(header.ToBytes())), header.Hash);
        Assert.Equal(BlockHeader.EncodedSize, header.ToBytes().Length);
        Assert.Equal(transactions.Select(t => t.Id), decoded.Transactions.Select(t => t.Id));
        Assert.Equal(transactions.Select(t => t.Sender), decoded.Transactions.Select(t => t.Sender));
        // Unsealed, the same block has the same hash: the seal signs the hash, it is not part of it.
        Assert.Equal(block.Hash, new Block(header, transactions, []).Hash);
        Assert.Throws<DecodeException>(() => Block.Decode([.. bytes, 0]));
        Assert.Throws<DecodeException>(() => Block.Decode(bytes.AsSpan(0, bytes.Length - 1)));
    }

    [Fact]
    public void Every_header_field_changes_the_hash()
    {
        var header = Header();
        var variants = new[]
        {
            new BlockHeader(6, header.ParentHash, header.StateRoot, header.TransactionsRoot, header.ReceiptsRoot, header.L1MessagesRoot, header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, H("x"), header.StateRoot, header.TransactionsRoot, header.ReceiptsRoot, header.L1MessagesRoot, header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, H("x"), header.TransactionsRoot, header.ReceiptsRoot, header.L1MessagesRoot, header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, header.StateRoot, H("x"), header.ReceiptsRoot, header.L1MessagesRoot, header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, header.StateRoot, header.TransactionsRoot, H("x"), header.L1MessagesRoot, header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, header.StateRoot, header.TransactionsRoot, header.ReceiptsRoot, H("x"), header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, header.StateRoot, header.TransactionsRoot, header.ReceiptsRoot, header.L1MessagesRoot, TestKeys.AddressAt(1), header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, header.StateRoot, header.TransactionsRoot, header.ReceiptsRoot, header.L1MessagesRoot, header.Sequencer, header.Timestamp + 1, header.GasLimit, header.GasUsed, header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, header.StateRoot, header.TransactionsRoot, header.ReceiptsRoot, header.L1MessagesRoot, header.Sequencer, header.Timestamp, header.GasLimit + 1, header.GasUsed, header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, header.StateRoot, header.TransactionsRoot, header.ReceiptsRoot, header.L1MessagesRoot, header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed + 1, header.BaseFee, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, header.StateRoot, header.TransactionsRoot, header.ReceiptsRoot, header.L1MessagesRoot, header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee + 1, header.L1AnchorHeight, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, header.StateRoot, header.TransactionsRoot, header.ReceiptsRoot, header.L1MessagesRoot, header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee, header.L1AnchorHeight + 1, header.L1AnchorHash),
            new BlockHeader(5, header.ParentHash, header.StateRoot, header.TransactionsRoot, header.ReceiptsRoot, header.L1MessagesRoot, header.Sequencer, header.Timestamp, header.GasLimit, header.GasUsed, header.BaseFee, header.L1AnchorHeight, H("x")),
        };
        var hashes = variants.Select(v => v.Hash).Append(header.Hash).ToHashSet();
        Assert.Equal(variants.Length + 1, hashes.Count);
        foreach (var variant in variants)
            Assert.NotEqual(header, variant);
    }

    [Fact]
    public void The_certificate_recovers_the_sequencer_only_for_its_chain_header_and_round()
    {
        var header = Header();
        var seal = Block.Seal(Tx.ChainId, header, Sequencer);
        var block = new Block(header, [], [seal]);
        Assert.Equal(new[] { TestKeys.AddressOf(Sequencer) }, block.RecoverSigners(Tx.ChainId));
        Assert.NotEqual(TestKeys.AddressOf(Sequencer), Assert.Single(block.RecoverSigners(Tx.ChainId + 1)!));
        Assert.NotEqual(Block.SealHash(Tx.ChainId, header, 0), Block.SealHash(Tx.ChainId + 1, header, 0));
        // A precommit of round 3 certifies only at round 3, and round-trips with it.
        var round3 = new Block(header, [], [Block.Seal(Tx.ChainId, header, Sequencer, round: 3)], commitRound: 3);
        Assert.Equal(new[] { TestKeys.AddressOf(Sequencer) }, round3.RecoverSigners(Tx.ChainId));
        Assert.NotEqual(TestKeys.AddressOf(Sequencer), Assert.Single(round3.WithCertificate(2, round3.Signatures).RecoverSigners(Tx.ChainId)!));
        var decoded = Block.Decode(round3.ToBytes());
        Assert.Equal(3, decoded.CommitRound);
        Assert.Equal(round3.ToBytes(), decoded.ToBytes());
        Assert.Equal(Block.SealHash(Tx.ChainId, header, 3), SignedVote.SigningHash(Tx.ChainId, header.Number, 3, VoteStep.Precommit, header.Hash));
        var other = new Block(Header(timestamp: header.Timestamp + 1), [], [seal]);
        Assert.NotEqual(TestKeys.AddressOf(Sequencer), Assert.Single(other.RecoverSigners(Tx.ChainId)!));
        Assert.Null(new Block(header, [], [new byte[RecoverableSignature.Size]]).RecoverSigners(Tx.ChainId));
        Assert.Empty(new Block(header, [], []).RecoverSigners(Tx.ChainId)!);
    }

    [Fact]
    public void Merkle_roots_tag_leaves_and_do_not_duplicate_an_odd_node()
    {
        var a = H("a");
        var b = H("b");
        var c = H("c");
        Assert.Equal(Hash256.Zero, MerkleRoot.Compute([]));
        var single = MerkleRoot.Compute([a]);
        Assert.NotEqual(a, single);
        Assert.Equal(new Hash256(SHA256.HashData([0x00, .. a.ToArray()])), single);
        var leafA = single;
        var leafB = MerkleRoot.Compute([b]);
        Assert.Equal(new Hash256(SHA256.HashData([0x01, .. leafA.ToArray(), .. leafB.ToArray()])), MerkleRoot.Compute([a, b]));
        Assert.NotEqual(MerkleRoot.Compute([a, b]), MerkleRoot.Compute([b, a]));
        // Bitcoin's [a, b, c] and [a, b, c, c] collision (CVE-2012-2459) does not exist here.
        Assert.NotEqual(MerkleRoot.Compute([a, b, c]), MerkleRoot.Compute([a, b, c, c]));
        // An inner node can never pass for a leaf list of its children.
        Assert.NotEqual(MerkleRoot.Compute([a, b]), MerkleRoot.Compute([MerkleRoot.Compute([a, b])]));
        var many = Enumerable.Range(0, 37).Select(i => H($"tx{i}")).ToList();
        Assert.Equal(MerkleRoot.Compute(many), MerkleRoot.Compute(many.ToList()));
        var changed = many.ToList();
        changed[36] = a;
        Assert.NotEqual(MerkleRoot.Compute(many), MerkleRoot.Compute(changed));
    }

    [Fact]
    public void A_receipt_round_trips_and_refuses_unknown_status_and_negative_fee()
    {
        var receipt = new Receipt(H("tx"), ReceiptStatus.Success, 21_000, 63_000, 12, Amount.FromSat(252_000));
        var writer = new SpanWriter();
        receipt.WriteTo(writer);
        var bytes = writer.ToArray();
        Assert.Equal(Receipt.EncodedSize, bytes.Length);
        var reader = new SpanReader(bytes);
        Assert.Equal(receipt, Receipt.Read(ref reader));
        Assert.Equal(new Hash256(Hashes.Sha256d(bytes)), receipt.Hash());

        var badStatus = (byte[])bytes.Clone();
        badStatus[32] = 2;
        Assert.Throws<DecodeException>(() =>
        {
            var r = new SpanReader(badStatus);
            Receipt.Read(ref r);
        });
        var negative = new SpanWriter();
        (receipt with { Fee = Amount.FromSat(-1) }).WriteTo(negative);
        Assert.Throws<DecodeException>(() =>
        {
            var r = new SpanReader(negative.WrittenSpan);
            Receipt.Read(ref r);
        });
    }
}
