using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;
using FsCheck;
using FsCheck.Xunit;

namespace Cascoin.L2.Settlement.Tests.SettlementChain;

/// <summary>
/// The settlement chain's decoders take bytes from peers (blocks, transactions) and from the database
/// (receipts, records): random or damaged bytes are rejected with a <see cref="DecodeException"/>,
/// never another exception, and what decodes writes back to the same bytes.
/// </summary>
public sealed class L1CodecProperties
{
    private static readonly PrivateKey Key = TestKeys.Key(71);

    private static readonly L1Call[] Calls =
    [
        new TransferCall(TestKeys.Outsider("to"), Amount.FromCas(2)),
        new SetReputationCall(TestKeys.Outsider("subject"), 60),
        new DeployChainCall("codec", 100, 30_000_000, 10, Amount.FromCas(10)),
        new BondCall(7, Amount.FromCas(1)),
        new UnbondCall(7, Amount.FromCas(1)),
        new DepositCall(7, Amount.FromCas(3), TestKeys.Outsider("l2")),
        new FinalizeWithdrawalCall(7, 1, Hash256.Zero, [1, 2, 3], [4, 5]),
        new EmergencyWithdrawCall(7, [1, 2], [3]),
        new ForceIncludeCall(7, [9, 9, 9]),
        new SendMessageCall(7, TestKeys.Outsider("target"), [1]),
        new ImportReputationCall(7),
        new BridgePauseCall(7, true, 3, [new byte[65], new byte[65]]),
        new ExecuteMessageCall(7, 0, Hash256.Zero, [1], [2]),
        new DeployChainCall("sealed", 100, 30_000_000, 10, Amount.FromCas(10), Chain.Transactions.EncryptionPolicy.Required),
        new EpochKeyCall(7, 1, 5, Key.PublicKey.ToArray(), [Key.PublicKey.ToArray()], [1], [new byte[65]]),
        new EarlySharesCall(7, 1, 2, SampleHeader(3), SampleHeader(2), [Key.PublicKey.ToArray()], [0, 2, 0, 0, 0, 1], new Chain.Blocks.CommitCertificate(1, [new byte[65]]), new byte[65]),
    ];

    private static Chain.Blocks.BlockHeader SampleHeader(ulong number) =>
        new(number, Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, TestKeys.Outsider("sequencer"), 1_000, 30_000_000, 0, 10, 5, Hash256.Zero, default);

    /// <summary>
    /// Every kind of transaction travels between nodes: a kind the decoder does not know yet is refused on
    /// the wire although blocks hold it, and the nodes' settlement chains split (it happened to kind 17).
    /// </summary>
    [Fact]
    public void Every_transaction_kind_decodes_from_the_wire()
    {
        foreach (var kind in Enum.GetValues<L1TransactionKind>())
        {
            var transaction = L1Transaction.Sign(kind, 1, Amount.FromSat(1000), [1, 2, 3], Key, L1Node.Network);
            Assert.Equal(kind, L1Transaction.Decode(transaction.ToBytes()).Kind);
        }
        Assert.Throws<DecodeException>(() => L1Transaction.Decode([.. L1Transaction.Sign(L1TransactionKind.Transfer, 1, Amount.FromSat(1000), [], Key, L1Node.Network).ToBytes()
            .Select((b, i) => i == 0 ? (byte)(Enum.GetValues<L1TransactionKind>().Max() + 1) : b)]));
    }

    private static byte[][] Samples()
    {
        var transactions = Calls.Select((c, i) => L1Transaction.Sign(c.Kind, (ulong)i, Amount.FromSat(1000), c.ToBytes(), Key, L1Node.Network)).ToList();
        var header = new L1BlockHeader(5, Hash256.Zero, Hash256.Zero, Hash256.Zero, 1_700_000_000_000, TestKeys.Outsider("miner"), 0x207fffff, 3);
        return [.. transactions.Select(t => t.ToBytes()), new L1Block(header, transactions).ToBytes()];
    }

    private static readonly byte[][] Valid = Samples();

    /// <summary>Every decoder of the settlement chain; each throws <see cref="DecodeException"/> on bad bytes.</summary>
    private static void DecodeEverything(byte[] bytes)
    {
        Try(() => L1Block.Decode(bytes));
        Try(() => L1Transaction.Decode(bytes));
        foreach (var kind in Enum.GetValues<L1TransactionKind>())
            Try(() => L1Call.Decode(kind, bytes));
        Try(() =>
        {
            var reader = new SpanReader(bytes);
            var receipt = L1Receipt.Read(ref reader);
            reader.EnsureEnd();
            return receipt;
        });
        Try(() => AnchorRecord.FromBytes(bytes));
        Try(() => ChainRecord.FromBytes(bytes));
        Try(() => StakeRecord.FromBytes(bytes));
    }

    private static void Try<T>(Func<T> decode)
    {
        try
        {
            decode();
        }
        catch (DecodeException)
        {
        }
    }

    [Property(MaxTest = 500)]
    public void Random_bytes_are_rejected_with_a_decode_error_only(byte[] bytes) => DecodeEverything(bytes ?? []);

    [Property(MaxTest = 500)]
    public void Damaged_blocks_and_transactions_are_rejected_with_a_decode_error_only(PositiveInt sample, PositiveInt position, byte value, bool truncate)
    {
        var bytes = (byte[])Valid[sample.Get % Valid.Length].Clone();
        var at = position.Get % bytes.Length;
        if (truncate)
            bytes = bytes[..at];
        else
            bytes[at] ^= value == 0 ? (byte)1 : value;
        DecodeEverything(bytes);
    }

    [Property(MaxTest = 200)]
    public void Receipts_with_any_refusal_read_back_as_written(NonNegativeInt reason, string message, string? delivered)
    {
        var reasons = Enum.GetValues<L1RefuseReason>();
        var refusal = new L1Refusal(reasons[reason.Get % reasons.Length], message ?? "");
        foreach (var receipt in new[] { new L1Receipt(Hash256.Zero, refusal, null), new L1Receipt(Hash256.Zero, null, string.IsNullOrEmpty(delivered) ? null : delivered) })
        {
            var writer = new SpanWriter();
            receipt.WriteTo(writer);
            var reader = new SpanReader(writer.WrittenSpan);
            var read = L1Receipt.Read(ref reader);
            reader.EnsureEnd();
            Assert.Equal(receipt.Success, read.Success);
            Assert.Equal(receipt.Refusal?.Reason, read.Refusal?.Reason);
            Assert.Equal(receipt.Event, read.Event);
            if (System.Text.Encoding.UTF8.GetByteCount(refusal.Message) <= L1Refusal.MaxMessageBytes && !refusal.Message.Any(char.IsSurrogate))
                Assert.Equal(receipt.Refusal?.Message, read.Refusal?.Message);
        }
    }

    [Fact]
    public void Every_reason_has_a_distinct_code_and_an_unknown_stored_reason_is_a_decode_error()
    {
        var codes = Enum.GetValues<L1RefuseReason>().Select(r => new L1Refusal(r, "").Code).ToList();
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.Contains("nonce-too-low", codes);
        Assert.Contains("bad-certificate", codes);
        var unknown = new byte[] { 0, 200, 0 };
        Assert.Throws<DecodeException>(() =>
        {
            var reader = new SpanReader(unknown.AsSpan(1));
            return L1Refusal.Read(ref reader);
        });
    }
}
