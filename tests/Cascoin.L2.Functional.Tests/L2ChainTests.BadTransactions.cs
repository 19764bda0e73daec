using System.Buffers.Binary;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

public sealed partial class L2ChainTests
{
    [Fact]
    public async Task Bad_transactions_fail_with_their_own_error_code_and_reason_and_change_nothing()
    {
        using var dir = TestDirectory.Create("l2-bad-tx");
        output.WriteLine($"data directory: {dir}");
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();

        using var development = KeyFromWif(DevelopmentAccount.Wif);
        Assert.Equal(DevelopmentAccount.Address, AddressOf(development).ToBase58(Network));
        using var stranger = PrivateKey.Generate();
        var recipient = AddressOf(stranger);
        var recipientText = recipient.ToBase58(Network);

        // A mined transaction (nonce 0), submitted signed through cascoin-cli.
        var mined = Sign(development, 0, recipient, Amount.OneCas);
        Assert.Equal(mined.Id.ToString(), await CliAsync(node, "l2_sendrawtransaction", Hex(mined)));
        await WaitForReceiptsAsync(node, [mined.Id]);
        var nextBaseFee = (await CliJsonAsync(node, "l2_feehistory", "1")).GetProperty("basefeepergas")[1].GetUInt64();
        Assert.True(nextBaseFee > 2, $"the next base fee is {nextBaseFee}; the fee-too-low case below needs it above 2");

        // Bad signature: s gets its top bit set, so it is no longer low-S and recovers nobody.
        var valid = Sign(development, 1, recipient, Amount.FromSat(12_345));
        var badSignature = valid.ToBytes();
        badSignature[^32] ^= 0xFF;
        await CliFailsAsync(node, -26, "bad-signature: ", "l2_sendrawtransaction", Convert.ToHexStringLower(badSignature));

        // Signed for another chain.
        await CliFailsAsync(node, -26, "wrong-chain-id: transaction is for chain 2, this is chain 1",
            "l2_sendrawtransaction", Hex(Sign(development, 1, recipient, Amount.OneCas, chainId: 2)));

        // Nonces: 0 is used, 1 is next, 5 leaves a gap.
        await CliFailsAsync(node, -26, "nonce-too-low: nonce too low: account nonce is 1, transaction has 0",
            "l2_sendrawtransaction", Hex(Sign(development, 0, recipient, Amount.FromCas(2))));
        Assert.EndsWith(" is 1, transaction has 5", await CliFailsAsync(node, -26, "nonce-too-high: nonce too high: the next nonce of ",
            "l2_sendrawtransaction", Hex(Sign(development, 5, recipient, Amount.OneCas))), StringComparison.Ordinal);

        // More than the balance: raw, and through the node wallet.
        await CliFailsAsync(node, -6, "insufficient-funds: balance ",
            "l2_sendrawtransaction", Hex(Sign(development, 1, recipient, GenesisBalance)));
        Assert.Equal("", await CliAsync(node, "importprivkey", DevelopmentAccount.Wif));
        await CliFailsAsync(node, -6, "insufficient-funds: ", "l2_sendtransaction", DevelopmentAccount.Address, recipientText, "2000000");
        using var empty = PrivateKey.Generate();
        await CliFailsAsync(node, -6, "insufficient-funds: balance 0.00000000 CAS",
            "l2_sendrawtransaction", Hex(Sign(empty, 0, recipient, Amount.FromSat(1))));

        // Fees: no fee at all, and a max fee under the base fee (raw and through the wallet).
        await CliFailsAsync(node, -26, "fee-too-low: max fee per gas 0 is below the minimum gas price 1",
            "l2_sendrawtransaction", Hex(Sign(development, 1, recipient, Amount.OneCas, maxFee: 0, priority: 0)));
        await CliFailsAsync(node, -26, "fee-too-low: max fee per gas 2 is below the current base fee",
            "l2_sendrawtransaction", Hex(Sign(development, 1, recipient, Amount.OneCas, maxFee: 2, priority: 1)));
        await CliFailsAsync(node, -26, "fee-too-low: max fee per gas 2 is below the current base fee",
            "l2_sendtransaction", DevelopmentAccount.Address, recipientText, "1", "2");
        await CliFailsAsync(node, -26, "fee-too-low: max priority fee per gas 9 is above max fee per gas 8",
            "l2_sendrawtransaction", Hex(Sign(development, 1, recipient, Amount.OneCas, maxFee: 8, priority: 9)));

        // Gas limit under the intrinsic 21,000.
        await CliFailsAsync(node, -26, "intrinsic-gas-too-low: gas limit 20999 is below the intrinsic gas 21000",
            "l2_sendrawtransaction", Hex(Sign(development, 1, recipient, Amount.OneCas, gas: TransferGas - 1)));

        // Too large: 128 KiB + 1 byte of data (Transaction refuses to build it, so by hand); refused before decoding.
        // The hex is 256 KiB, over Linux's 128 KiB limit for one argument, so it goes through -stdin.
        var tooLarge = await node.CliWithStdinAsync(Convert.ToHexStringLower(OversizedTransaction()) + "\n", "-stdin", "l2_sendrawtransaction");
        AssertCliError(tooLarge, -26, $"tx-size: transaction is {Transaction.MaxEncodedSize + 1} bytes, the limit is {Transaction.MaxEncodedSize}", "oversized");

        // A contract deployment: the type is reserved until there is a VM.
        await CliFailsAsync(node, -26, "unsupported-type: ",
            "l2_sendrawtransaction", Hex(Sign(development, 1, recipient, Amount.Zero, type: TransactionType.ContractDeploy)));

        // Not a transaction at all.
        await CliFailsAsync(node, -22, "hexstring is not hex", "l2_sendrawtransaction", "zz");
        await CliFailsAsync(node, -22, "hexstring is not hex", "l2_sendrawtransaction", Hex(valid)[..^1]);
        await CliFailsAsync(node, -22, "TX decode failed: ", "l2_sendrawtransaction", Hex(valid)[..^2]);
        await CliFailsAsync(node, -22, "TX decode failed: ", "l2_sendrawtransaction", Hex(valid) + "00");
        await CliFailsAsync(node, -22, "TX decode failed: ", "l2_sendrawtransaction", "00");

        // Already known: twice in one batch (the second finds it pending), then again once it is mined.
        var twice = await BatchAsync(node, [("l2_sendrawtransaction", [Hex(valid)]), ("l2_sendrawtransaction", [Hex(valid)])]);
        Assert.Equal(valid.Id.ToString(), twice[0].GetProperty("result").GetString());
        var second = twice[1].GetProperty("error");
        Assert.True(second.GetProperty("code").GetInt32() switch
        {
            -26 => second.GetProperty("message").GetString()!.StartsWith("txn-already-known: ", StringComparison.Ordinal),
            -27 => second.GetProperty("message").GetString()!.Contains("is already in block chain", StringComparison.Ordinal),
            _ => false,
        }, $"second submission in a batch: {second}");
        var again = await node.CliAsync("l2_sendrawtransaction", Hex(valid));
        if (again.ExitCode == 26)
            AssertCliError(again, -26, "txn-already-known: ", "pending resubmission");
        else
            AssertCliError(again, -27, $"transaction {valid.Id} is already in block chain", "resubmission");
        await CliFailsAsync(node, -27, $"transaction {mined.Id} is already in block chain", "l2_sendrawtransaction", Hex(mined));

        // Addresses that are none.
        await CliFailsAsync(node, -5, "Invalid address: 'notanaddress' is not a regtest address", "l2_getbalance", "notanaddress");
        await CliFailsAsync(node, -5, "Invalid to address: 'bogus'", "l2_sendtransaction", DevelopmentAccount.Address, "bogus", "1");
        await CliFailsAsync(node, -5, "Invalid address: ", "l2_gettransactioncount", DevelopmentAccount.Address[..^1] + "x");
        await CliFailsAsync(node, -5, "Invalid address: ", "l2_getproof", "0x1234");
        await CliFailsAsync(node, -5, "No such mempool or blockchain transaction", "l2_gettransaction", string.Concat(Enumerable.Repeat("ab", 32)));

        // Parameters that do not fit the method.
        await CliFailsAsync(node, -32602, "l2_getbalance: missing required parameter 'address'", "l2_getbalance");
        await CliFailsAsync(node, -32602, "l2_blocknumber: too many parameters (1 given, at most 0)", "l2_blocknumber", "1");
        await CliFailsAsync(node, -32602, "l2_sendrawtransaction: parameter 'hexstring' must be of type string, got array", "l2_sendrawtransaction", "[1,2]");
        await CliFailsAsync(node, -8, "blockcount must be 1..1024", "l2_feehistory", "0");
        await CliFailsAsync(node, -8, "verbosity must be 0, 1 or 2", "l2_getblockbynumber", "0", "3");

        // Nothing refused reached the chain: nonces 0 and 1 are mined, the recipient holds exactly what was sent to it.
        await WaitForNoncesAsync(node, (DevelopmentAccount.Address, 2));
        Assert.Equal(2UL, await CliNonceAsync(node, DevelopmentAccount.Address, "pending"));
        Assert.Equal(Amount.OneCas + Amount.FromSat(12_345), await CliBalanceAsync(node, recipientText));
        Assert.Equal(Amount.Zero, await CliBalanceAsync(node, AddressOf(empty).ToBase58(Network)));
        await CliFailsAsync(node, -5, "No such mempool or blockchain transaction", "l2_gettransaction", Transaction.Decode(badSignature).Id.ToString());
        Assert.Equal("", await CliAsync(node, "l2_gettransactionreceipt", Sign(development, 5, recipient, Amount.OneCas).Id.ToString()));
        Assert.False(node.Process.HasExited);
        dir.Succeeded();
    }

    /// <summary>A transfer with 128 KiB + 1 byte of data, encoded by hand (doc/chain.md): one byte more than the largest transaction.</summary>
    private static byte[] OversizedTransaction()
    {
        const int DataLength = Transaction.MaxDataBytes + 1;
        var bytes = new byte[Transaction.FixedSize + 5 + DataLength + RecoverableSignature.Size];
        var span = bytes.AsSpan();
        span[0] = (byte)TransactionType.Transfer;
        BinaryPrimitives.WriteUInt64LittleEndian(span[1..], ChainId);
        BinaryPrimitives.WriteUInt64LittleEndian(span[9..], 0);
        // to (bytes 17..36) and value (37..44) stay zero.
        BinaryPrimitives.WriteUInt64LittleEndian(span[45..], MaxFee);
        BinaryPrimitives.WriteUInt64LittleEndian(span[53..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(span[61..], 30_000_000);
        span[Transaction.FixedSize] = 0xFE;
        BinaryPrimitives.WriteUInt32LittleEndian(span[(Transaction.FixedSize + 1)..], DataLength);
        span.Slice(Transaction.FixedSize + 5, DataLength).Fill(0x01);
        Assert.Equal(Transaction.MaxEncodedSize + 1, bytes.Length);
        return bytes;
    }
}
