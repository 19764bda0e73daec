using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Bridge;
using Cascoin.L2.Crypto;
using System.Text;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Settlement.L1;

/// <summary>
/// The payload of an L1 transaction, one record per <see cref="L1TransactionKind"/>. Each writes
/// and reads itself (integers little-endian, byte strings CompactSize-prefixed and bounded);
/// <see cref="Decode"/> refuses trailing bytes, so every payload has one encoding.
/// </summary>
public abstract record L1Call
{
    public abstract L1TransactionKind Kind { get; }

    protected abstract void Write(SpanWriter writer);

    public byte[] ToBytes()
    {
        var writer = new SpanWriter(128);
        Write(writer);
        return writer.ToArray();
    }

    /// <exception cref="DecodeException">the payload does not fit <paramref name="kind"/>.</exception>
    public static L1Call Decode(L1TransactionKind kind, ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload);
        L1Call call = kind switch
        {
            L1TransactionKind.Transfer => new TransferCall(reader.ReadAddress(), ReadAmount(ref reader)),
            L1TransactionKind.SetReputation => new SetReputationCall(reader.ReadAddress(), ReadScore(ref reader)),
            L1TransactionKind.ImportReputation => new ImportReputationCall(reader.ReadUInt64()),
            L1TransactionKind.SetBridgePause => BridgePauseCall.Read(ref reader),
            L1TransactionKind.DeployChain => new DeployChainCall(ReadName(ref reader), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), ReadAmount(ref reader),
                (Chain.Transactions.EncryptionPolicy)reader.ReadByte()),
            L1TransactionKind.Bond => new BondCall(reader.ReadUInt64(), ReadAmount(ref reader)),
            L1TransactionKind.Unbond => new UnbondCall(reader.ReadUInt64(), ReadAmount(ref reader)),
            L1TransactionKind.Deposit => new DepositCall(reader.ReadUInt64(), ReadAmount(ref reader), reader.ReadAddress()),
            L1TransactionKind.Anchor => AnchorCall.Read(ref reader),
            L1TransactionKind.FinalizeWithdrawal => new FinalizeWithdrawalCall(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadHash256(),
                reader.ReadVarBytes(MaxRecordBytes), reader.ReadVarBytes(MaxProofBytes)),
            L1TransactionKind.EmergencyWithdraw => new EmergencyWithdrawCall(reader.ReadUInt64(), reader.ReadVarBytes(MaxRecordBytes), reader.ReadVarBytes(MaxProofBytes)),
            L1TransactionKind.ForceInclude => new ForceIncludeCall(reader.ReadUInt64(), reader.ReadVarBytes(L1Transaction.MaxPayloadBytes - 16)),
            L1TransactionKind.SendMessage => new SendMessageCall(reader.ReadUInt64(), reader.ReadAddress(), reader.ReadVarBytes(MaxMessageBytes)),
            L1TransactionKind.ExecuteMessage => new ExecuteMessageCall(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadHash256(),
                reader.ReadVarBytes(MaxRecordBytes), reader.ReadVarBytes(MaxProofBytes)),
            L1TransactionKind.ReportDoubleSign => new DoubleSignCall(SignedVote.Read(ref reader), SignedVote.Read(ref reader)),
            L1TransactionKind.Challenge => ChallengeCall.Read(ref reader),
            L1TransactionKind.Dissect => DissectCall.Read(ref reader),
            L1TransactionKind.ChooseStep => new ChooseStepCall(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt16()),
            L1TransactionKind.CommitEpochKey => EpochKeyCall.Read(ref reader),
            L1TransactionKind.ReportEarlyShares => EarlySharesCall.Read(ref reader),
            L1TransactionKind.ProveStep => new ProveStepCall(reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadVarBytes(L1Transaction.MaxPayloadBytes - 32)),
            _ => throw new DecodeException($"unknown L1 transaction kind {kind}"),
        };
        reader.EnsureEnd();
        return call;
    }

    public const int MaxProofBytes = 16 * 1024;
    public const int MaxRecordBytes = 16 * 1024;
    public const int MaxMessageBytes = 8 * 1024;
    public const int MaxNameBytes = 64;

    private static Amount ReadAmount(ref SpanReader reader)
    {
        var amount = reader.ReadAmount();
        return amount.IsMoneyRange ? amount : throw new DecodeException($"amount {amount.Sat} sat is outside 0..MaxMoney");
    }

    private static byte ReadScore(ref SpanReader reader)
    {
        var score = reader.ReadByte();
        return score <= 100 ? score : throw new DecodeException($"a HAT score is 0..100, got {score}");
    }

    private static string ReadName(ref SpanReader reader)
    {
        var bytes = reader.ReadVarBytes(MaxNameBytes);
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new DecodeException("a chain name is UTF-8");
        }
    }

    protected static void WriteName(SpanWriter writer, string name)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteVarBytes(Encoding.UTF8.GetBytes(name));
    }
}

public sealed record TransferCall(Address To, Amount Amount) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.Transfer;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteAddress(To);
        writer.WriteAmount(Amount);
    }
}

public sealed record SetReputationCall(Address Subject, byte Score) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.SetReputation;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteAddress(Subject);
        writer.WriteByte(Score);
    }
}

/// <summary>The sender's L1 score flows to chain <paramref name="ChainId"/>: now, and at every later change.</summary>
public sealed record ImportReputationCall(ulong ChainId) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.ImportReputation;

    protected override void Write(SpanWriter writer) => writer.WriteUInt64(ChainId);
}

/// <param name="ChallengePeriod">In L1 blocks.</param>
/// <param name="Encryption">Whether the chain keeps an encrypted mempool; the registry refuses an unknown value.</param>
public sealed record DeployChainCall(string Name, ulong BlockTimeMs, ulong GasLimit, ulong ChallengePeriod, Amount Stake,
    Chain.Transactions.EncryptionPolicy Encryption = Chain.Transactions.EncryptionPolicy.Off) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.DeployChain;

    protected override void Write(SpanWriter writer)
    {
        WriteName(writer, Name);
        writer.WriteUInt64(BlockTimeMs);
        writer.WriteUInt64(GasLimit);
        writer.WriteUInt64(ChallengePeriod);
        writer.WriteAmount(Stake);
        writer.WriteByte((byte)Encryption);
    }
}

public sealed record BondCall(ulong ChainId, Amount Amount) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.Bond;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteAmount(Amount);
    }
}

public sealed record UnbondCall(ulong ChainId, Amount Amount) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.Unbond;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteAmount(Amount);
    }
}

public sealed record DepositCall(ulong ChainId, Amount Amount, Address L2Recipient) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.Deposit;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteAmount(Amount);
        writer.WriteAddress(L2Recipient);
    }
}

/// <summary>
/// A batch of L2 blocks as a quorum certificate: the headers of the batch, in order from the block
/// after the last anchored one, and the finality certificate of the last (its commit round and the
/// precommit signatures of more than 2/3 of its sequencer set's weight). The headers chain to the
/// last one by their parent hashes, so the certificate covers every one of them: the range, the
/// state root after each block, the L1 blocks they reference and the L1 queues they consumed are
/// read from them (<see cref="Contracts.Anchors"/>), never taken from the poster.
/// The batch data rides along (<see cref="Data"/>: the zstd frame of the blocks' transactions and parent
/// certificates) under its DA commitment <see cref="DataRoot"/>, which the contract recomputes.
/// Encoding: chainId u64 ‖ CompactSize n ‖ n headers ‖ the last one's <see cref="CommitCertificate"/> ‖
/// data root (32) ‖ varbytes data.
/// </summary>
public sealed record AnchorCall(ulong ChainId, IReadOnlyList<BlockHeader> Headers, CommitCertificate Certificate, Hash256 DataRoot, byte[] Data) : L1Call
{
    /// <summary>Most headers one anchor can carry (the contract's own bound may be lower).</summary>
    public const int MaxHeaders = 800;

    public override L1TransactionKind Kind => L1TransactionKind.Anchor;

    public ulong FirstBlock => Headers[0].Number;

    public ulong LastBlock => Headers[^1].Number;

    public BlockHeader Last => Headers[^1];

    /// <summary>The anchor of <paramref name="blocks"/> (consecutive, the last with its certificate), with their batch data.</summary>
    public static AnchorCall Of(ulong chainId, IReadOnlyList<Block> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var package = DataAvailability.Batches.BatchPackage.Of(chainId, blocks);
        return new AnchorCall(chainId, blocks.Select(b => b.Header).ToList(), blocks[^1].Certificate, package.Commitment.Root, package.Frame);
    }

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteCompactSize((ulong)Headers.Count);
        foreach (var header in Headers)
            header.WriteTo(writer);
        Certificate.WriteTo(writer);
        writer.WriteHash256(DataRoot);
        writer.WriteVarBytes(Data);
    }

    /// <exception cref="DecodeException">on malformed input: no header, too many, a round or signature out of bounds.</exception>
    internal static AnchorCall Read(ref SpanReader reader)
    {
        var chainId = reader.ReadUInt64();
        var count = (int)reader.ReadCompactSize(MaxHeaders);
        if (count == 0)
            throw new DecodeException("an anchor carries at least one L2 block header");
        var headers = new BlockHeader[count];
        for (var i = 0; i < count; i++)
            headers[i] = BlockHeader.Read(ref reader);
        var certificate = CommitCertificate.Read(ref reader);
        return new AnchorCall(chainId, headers, certificate, reader.ReadHash256(), reader.ReadVarBytes(L1Transaction.MaxPayloadBytes));
    }
}

/// <summary>Pays L2 withdrawal <paramref name="WithdrawalId"/> (its L2 txid): its L2 record and compact SMT proof against anchor <paramref name="AnchorIndex"/>'s root.</summary>
public sealed record FinalizeWithdrawalCall(ulong ChainId, ulong AnchorIndex, Hash256 WithdrawalId, byte[] WithdrawalRecord, byte[] Proof) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.FinalizeWithdrawal;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(AnchorIndex);
        writer.WriteHash256(WithdrawalId);
        writer.WriteVarBytes(WithdrawalRecord);
        writer.WriteVarBytes(Proof);
    }
}

/// <summary>The sender's L2 account record and its compact proof against the last final anchored root.</summary>
public sealed record EmergencyWithdrawCall(ulong ChainId, byte[] AccountRecord, byte[] Proof) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.EmergencyWithdraw;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteVarBytes(AccountRecord);
        writer.WriteVarBytes(Proof);
    }
}

public sealed record ForceIncludeCall(ulong ChainId, byte[] L2Transaction) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.ForceInclude;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteVarBytes(L2Transaction);
    }
}

public sealed record SendMessageCall(ulong ChainId, Address Target, byte[] Data) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.SendMessage;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteAddress(Target);
        writer.WriteVarBytes(Data);
    }
}

/// <summary>Executes L2→L1 message <paramref name="MessageId"/> (its L2 txid): its record and compact proof against anchor <paramref name="AnchorIndex"/>'s root.</summary>
public sealed record ExecuteMessageCall(ulong ChainId, ulong AnchorIndex, Hash256 MessageId, byte[] MessageRecord, byte[] Proof) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.ExecuteMessage;

    protected override void Write(SpanWriter writer)
    {
        writer.WriteUInt64(ChainId);
        writer.WriteUInt64(AnchorIndex);
        writer.WriteHash256(MessageId);
        writer.WriteVarBytes(MessageRecord);
        writer.WriteVarBytes(Proof);
    }
}

/// <summary>
/// Double-sign evidence (SPEC §7): two consensus messages of one sequencer for one L2 chain,
/// height, round and step (proposal, prevote or precommit) that name different blocks.
/// </summary>
public sealed record DoubleSignCall(SignedVote First, SignedVote Second) : L1Call
{
    public override L1TransactionKind Kind => L1TransactionKind.ReportDoubleSign;

    public ulong ChainId => First.ChainId;

    protected override void Write(SpanWriter writer)
    {
        First.WriteTo(writer);
        Second.WriteTo(writer);
    }
}
