using System.Buffers.Binary;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Chain.Tests.Transactions;

/// <summary>
/// SPEC §3/§5: the transaction encoding round-trips byte for byte, the id is SHA-256d of it, the
/// sender is recovered from a signature over a hash that commits to every field but the signature
/// (type and chain id included), and malformed bytes are refused with a <see cref="DecodeException"/>.
/// </summary>
public sealed class TransactionTests
{
    private static readonly PrivateKey Alice = TestKeys.Key(1);
    private static readonly Address Bob = TestKeys.AddressAt(2);

    private static Transaction Sample(byte[]? data = null) =>
        Tx.Make(TransactionType.Transfer, Alice, 42, Bob, 123_456_789, maxFee: 1_000, tip: 7, gasLimit: 50_000, data: data ?? [0, 1, 2, 0, 0xff]);

    [Fact]
    public void Encoding_round_trips_every_field_and_the_id_is_sha256d_of_the_bytes()
    {
        var original = Sample();
        var bytes = original.ToBytes();
        Assert.Equal(Transaction.FixedSize + 1 + 5 + RecoverableSignature.Size, bytes.Length);
        Assert.Equal(bytes.Length, original.Size);

        var decoded = Transaction.Decode(bytes);
        Assert.Equal(TransactionType.Transfer, decoded.Type);
        Assert.Equal(Tx.ChainId, decoded.ChainId);
        Assert.Equal(42UL, decoded.Nonce);
        Assert.Equal(Bob, decoded.To);
        Assert.Equal(Amount.FromSat(123_456_789), decoded.Value);
        Assert.Equal(1_000UL, decoded.MaxFeePerGas);
        Assert.Equal(7UL, decoded.MaxPriorityFeePerGas);
        Assert.Equal(50_000UL, decoded.GasLimit);
        Assert.Equal(new byte[] { 0, 1, 2, 0, 0xff }, decoded.Data.ToArray());
        Assert.Equal(original.Signature.ToArray(), decoded.Signature.ToArray());
        Assert.Equal(bytes, decoded.ToBytes());

        Assert.Equal(new Hash256(Hashes.Sha256d(bytes)), original.Id);
        Assert.Equal(original.Id, decoded.Id);
        Assert.Equal(original.Id, decoded.Id);
        Assert.Equal(original.SigningHash, decoded.SigningHash);

        // Little-endian fields at their documented offsets (doc/chain.md).
        Assert.Equal((byte)TransactionType.Transfer, bytes[0]);
        Assert.Equal(Tx.ChainId, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(1)));
        Assert.Equal(42UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(9)));
        Assert.Equal(Bob.ToArray(), bytes.AsSpan(17, Address.Size).ToArray());
        Assert.Equal(123_456_789L, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(37)));
    }

    [Fact]
    public void A_transaction_written_into_a_stream_reads_back_from_it()
    {
        var first = Sample();
        var second = Tx.Withdrawal(Alice, 43, TestKeys.Outsider(1), 5);
        var writer = new SpanWriter(first.Size + second.Size);
        first.WriteTo(writer);
        Tx.FromWire(second).WriteTo(writer);
        var reader = new SpanReader(writer.WrittenSpan);
        Assert.Equal(first.Id, Transaction.Read(ref reader).Id);
        Assert.Equal(second.Id, Transaction.Read(ref reader).Id);
        reader.EnsureEnd();
    }

    [Fact]
    public void The_sender_of_the_decoded_bytes_is_the_signing_keys_address()
    {
        using var key = PrivateKey.Generate();
        var signed = Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Withdrawal, Tx.ChainId, 0, Bob, Amount.FromSat(10), 5, 1, 21_000), key);
        var decoded = Transaction.Decode(signed.ToBytes());
        Assert.Equal(TestKeys.AddressOf(key), decoded.Sender);
        Assert.Equal(TestKeys.AddressOf(key), signed.Sender);
        Assert.Null(TransactionRules.CheckStateless(decoded, TestChains.Default));
        Assert.True(RecoverableSignature.TryParse(decoded.Signature, out _));
    }

    [Fact]
    public void An_unsigned_transaction_has_no_sender_and_is_refused_as_a_bad_signature()
    {
        var unsigned = Transaction.CreateUnsigned(TransactionType.Transfer, Tx.ChainId, 0, Bob, Amount.FromSat(1), 5, 1, 21_000);
        Assert.Equal(new byte[RecoverableSignature.Size], unsigned.Signature.ToArray());
        Assert.Null(unsigned.Sender);
        var decoded = Transaction.Decode(unsigned.ToBytes());
        Assert.Null(decoded.Sender);
        Assert.Equal(TxRejectReason.BadSignature, TransactionRules.CheckStateless(decoded, TestChains.Default)?.Reason);
        // Signing does not change what is signed: the unsigned and the signed transaction share the signing hash, not the id.
        var signed = Transaction.Sign(unsigned, Alice);
        Assert.Equal(unsigned.SigningHash, signed.SigningHash);
        Assert.NotEqual(unsigned.Id, signed.Id);
    }

    [Fact]
    public void Changing_any_byte_of_the_signed_region_changes_or_loses_the_sender()
    {
        var original = Sample();
        var sender = TestKeys.AddressOf(Alice);
        var bytes = original.ToBytes();
        var signedLength = bytes.Length - RecoverableSignature.Size;
        var decodedVariants = 0;
        for (var position = 0; position < signedLength; position++)
        {
            var changed = (byte[])bytes.Clone();
            changed[position] ^= 0x01;
            Transaction decoded;
            try
            {
                decoded = Transaction.Decode(changed);
            }
            catch (DecodeException)
            {
                // A type above ContractCall, a value outside the money range, a wrong data length: refused outright.
                continue;
            }
            decodedVariants++;
            Assert.NotEqual(original.SigningHash, decoded.SigningHash);
            Assert.NotEqual(sender, decoded.Sender);
        }
        Assert.True(decodedVariants > signedLength / 2, $"only {decodedVariants} of {signedLength} variants decoded");

        // The signature itself: any change gives another key or none (never Alice).
        for (var position = signedLength; position < bytes.Length; position++)
        {
            var changed = (byte[])bytes.Clone();
            changed[position] ^= 0x80;
            Assert.NotEqual(sender, Transaction.Decode(changed).Sender);
        }
    }

    [Fact]
    public void A_transaction_signed_for_chain_1_is_refused_by_chain_2()
    {
        var chain1 = new ChainParameters { ChainId = 1 };
        var chain2 = new ChainParameters { ChainId = 2 };
        var signed = Tx.Transfer(Alice, 0, Bob, 1_000, chainId: 1);
        var decoded = Transaction.Decode(signed.ToBytes());
        Assert.Null(TransactionRules.CheckStateless(decoded, chain1));
        var rejection = TransactionRules.CheckStateless(decoded, chain2);
        Assert.Equal(TxRejectReason.WrongChainId, rejection?.Reason);
        Assert.Equal("wrong-chain-id", rejection?.Code);

        // Re-labelled for chain 2 with the same signature, it is no longer Alice's: the chain id is signed.
        var relabelled = decoded.ToBytes();
        BinaryPrimitives.WriteUInt64LittleEndian(relabelled.AsSpan(1), 2);
        var forged = Transaction.Decode(relabelled);
        Assert.NotEqual(TestKeys.AddressOf(Alice), forged.Sender);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(0x7f)]
    [InlineData(0xff)]
    public void An_unknown_type_byte_is_a_decode_error(byte type)
    {
        var bytes = Sample().ToBytes();
        bytes[0] = type;
        var error = Assert.Throws<DecodeException>(() => Transaction.Decode(bytes));
        Assert.Contains("unknown transaction type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_truncation_is_a_decode_error()
    {
        var bytes = Sample().ToBytes();
        for (var length = 0; length < bytes.Length; length++)
            Assert.Throws<DecodeException>(() => Transaction.Decode(bytes.AsSpan(0, length)));
    }

    [Fact]
    public void Trailing_bytes_are_a_decode_error()
    {
        var bytes = Sample().ToBytes();
        var error = Assert.Throws<DecodeException>(() => Transaction.Decode([.. bytes, 0]));
        Assert.Contains("trailing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(Amount.MaxMoneySat + 1)]
    public void A_value_outside_the_money_range_is_a_decode_error(long value)
    {
        var bytes = Sample().ToBytes();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(37), value);
        Assert.Throws<DecodeException>(() => Transaction.Decode(bytes));
    }

    [Fact]
    public void Data_longer_than_the_limit_is_refused_when_decoding_and_constructing()
    {
        // The largest data is fine and round-trips.
        var largest = Transaction.CreateUnsigned(TransactionType.Transfer, Tx.ChainId, 0, Bob, Amount.Zero, 1, 1, 30_000_000, new byte[Transaction.MaxDataBytes]);
        Assert.Equal(Transaction.MaxDataBytes, Transaction.Decode(largest.ToBytes()).DataLength);
        Assert.True(largest.Size <= Transaction.MaxEncodedSize);

        // One byte more: a length prefix over the limit, followed by that many bytes.
        var writer = new SpanWriter(Transaction.MaxEncodedSize + 16);
        writer.WriteBytes(largest.ToBytes().AsSpan(0, Transaction.FixedSize));
        writer.WriteVarBytes(new byte[Transaction.MaxDataBytes + 1]);
        writer.WriteBytes(new byte[RecoverableSignature.Size]);
        var oversize = writer.ToArray();
        Assert.Throws<DecodeException>(() => Transaction.Decode(oversize));
        // The same body inside a block stream is refused by the data limit, not the size check.
        var reader = new SpanReader(oversize);
        DecodeException? streamError = null;
        try
        {
            Transaction.Read(ref reader);
        }
        catch (DecodeException ex)
        {
            streamError = ex;
        }
        Assert.NotNull(streamError);
        Assert.Contains("exceeds limit", streamError.Message, StringComparison.Ordinal);
        // A length prefix that claims more than the data limit is refused before anything is allocated.
        var claim = new SpanWriter(64);
        claim.WriteBytes(largest.ToBytes().AsSpan(0, Transaction.FixedSize));
        claim.WriteCompactSize(uint.MaxValue);
        Assert.Throws<DecodeException>(() => Transaction.Decode(claim.WrittenSpan));

        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Transaction.CreateUnsigned(TransactionType.Transfer, Tx.ChainId, 0, Bob, Amount.Zero, 1, 1, 30_000_000, new byte[Transaction.MaxDataBytes + 1]));
    }

    [Fact]
    public void A_non_canonical_data_length_is_a_decode_error()
    {
        var bytes = Sample([]).ToBytes();
        // Zero-length data written as 0xfd 0x00 0x00 instead of 0x00.
        byte[] padded = [.. bytes.AsSpan(0, Transaction.FixedSize), 0xfd, 0x00, 0x00, .. bytes.AsSpan(Transaction.FixedSize + 1)];
        Assert.Throws<DecodeException>(() => Transaction.Decode(padded));
    }

    [Fact]
    public void Input_larger_than_the_largest_transaction_is_refused_before_parsing()
    {
        var error = Assert.Throws<DecodeException>(() => Transaction.Decode(new byte[Transaction.MaxEncodedSize + 1]));
        Assert.Contains("larger than the limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_stateless_rules_refuse_each_kind_of_bad_transaction()
    {
        var parameters = TestChains.Default;
        Assert.Null(TransactionRules.CheckStateless(Tx.Transfer(Alice, 0, Bob, 1), parameters));
        Assert.Equal(TxRejectReason.GasLimitTooLow,
            TransactionRules.CheckStateless(Tx.Transfer(Alice, 0, Bob, 1, gasLimit: IntrinsicGas.Base - 1), parameters)?.Reason);
        // Data costs 4 gas per zero byte and 16 per other byte on top of 21,000.
        var withData = Tx.Transfer(Alice, 0, Bob, 1, gasLimit: 21_000 + 4 + 16, data: [0, 9]);
        Assert.Equal(21_020UL, IntrinsicGas.Of(withData));
        Assert.Null(TransactionRules.CheckStateless(withData, parameters));
        Assert.Equal(TxRejectReason.GasLimitTooLow,
            TransactionRules.CheckStateless(Tx.Transfer(Alice, 0, Bob, 1, gasLimit: 21_019, data: [0, 9]), parameters)?.Reason);
        Assert.Equal(TxRejectReason.GasLimitTooHigh,
            TransactionRules.CheckStateless(Tx.Transfer(Alice, 0, Bob, 1, gasLimit: parameters.BlockGasLimit + 1), parameters)?.Reason);
        Assert.Equal(TxRejectReason.FeeTooLow,
            TransactionRules.CheckStateless(Tx.Transfer(Alice, 0, Bob, 1, maxFee: 5, tip: 6), parameters)?.Reason);
        Assert.Equal(TxRejectReason.FeeTooLow,
            TransactionRules.CheckStateless(Tx.Transfer(Alice, 0, Bob, 1, maxFee: 0, tip: 0), parameters)?.Reason);
        Assert.Equal(TxRejectReason.InsufficientFunds,
            TransactionRules.CheckStateless(Tx.Transfer(Alice, 0, Bob, Amount.MaxMoneySat, maxFee: 1, tip: 0), parameters)?.Reason);
        Assert.Equal(TxRejectReason.TooLarge,
            TransactionRules.CheckStateless(Tx.Transfer(Alice, 0, Bob, 1, gasLimit: 100_000, data: new byte[200]), parameters with { MaxTransactionBytes = 300 })?.Reason);
        foreach (var type in new[] { TransactionType.ContractDeploy, TransactionType.ContractCall, TransactionType.Deposit, TransactionType.L1ToL2Message, TransactionType.ForcedInclusion })
            Assert.Equal(TxRejectReason.UnsupportedType, TransactionRules.CheckStateless(Tx.Make(type, Alice, 0, Bob, 1, 20, 1, 21_000), parameters)?.Reason);
    }

    [Fact]
    public void Upfront_cost_is_value_plus_gas_limit_times_max_fee_or_null_beyond_the_money_supply()
    {
        Assert.Equal(Amount.FromSat(1_000 + 21_000 * 20), TransactionRules.UpfrontCost(Tx.Transfer(Alice, 0, Bob, 1_000, maxFee: 20)));
        var huge = Transaction.CreateUnsigned(TransactionType.Transfer, Tx.ChainId, 0, Bob, Amount.MaxMoney, ulong.MaxValue, 0, ulong.MaxValue);
        Assert.Null(TransactionRules.UpfrontCost(huge));
        var exact = Transaction.CreateUnsigned(TransactionType.Transfer, Tx.ChainId, 0, Bob, Amount.FromSat(Amount.MaxMoneySat - 21_000), 1, 0, 21_000);
        Assert.Equal(Amount.MaxMoney, TransactionRules.UpfrontCost(exact));
    }
}
