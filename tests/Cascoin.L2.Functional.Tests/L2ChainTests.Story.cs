using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Smt;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

public sealed partial class L2ChainTests
{
    private const int TransfersAToB = 1000;
    private const int TransfersBToA = 100;

    /// <summary>ChainParameters.RateLimitPerBlock: a sender (HAT score 0) has at most this many transactions in a block.</summary>
    private const int RateLimitPerBlock = 100;

    [Fact]
    public async Task Story_a_thousand_signed_transfers_give_exact_balances_blocks_receipts_proofs_and_fees_that_survive_a_restart()
    {
        using var dir = TestDirectory.Create("l2-story");
        output.WriteLine($"data directory: {dir}");
        var watch = Stopwatch.StartNew();
        await using var node = new TestNode(dir.Path);
        await node.StartAsync();

        // The wallet: the development key of the genesis and two new addresses.
        Assert.Equal("", await CliAsync(node, "importprivkey", DevelopmentAccount.Wif));
        var a = await CliAsync(node, "getnewaddress");
        var b = await CliAsync(node, "getnewaddress");
        Assert.NotEqual(a, b);
        Assert.Equal(GenesisBalance, await CliBalanceAsync(node, DevelopmentAccount.Address));
        Assert.Equal(Amount.Zero, await CliBalanceAsync(node, a));

        // Funding from the development account; the node signs and fills in nonce and fees.
        var fundingA = Amount.FromCas(1000);
        var fundingB = Amount.Parse("250.12345678");
        var sentA = await CliJsonAsync(node, "l2_sendtransaction", DevelopmentAccount.Address, a, "1000");
        var sentB = await CliJsonAsync(node, "l2_sendtransaction", DevelopmentAccount.Address, b, "250.12345678");
        Assert.Equal(0UL, sentA.GetProperty("nonce").GetUInt64());
        Assert.Equal(1UL, sentB.GetProperty("nonce").GetUInt64());
        Hash256[] fundingIds = [TxId(sentA), TxId(sentB)];
        var fundingReceipts = await WaitForReceiptsAsync(node, fundingIds);
        var fundingFees = fundingReceipts.Aggregate(Amount.Zero, (sum, r) => sum + AmountOf(r.GetProperty("fee")));
        var fundingReceiptA = await CliJsonAsync(node, "l2_gettransactionreceipt", fundingIds[0].ToString());
        Assert.Equal(Compact(fundingReceipts[0]), Compact(fundingReceiptA));
        Assert.Equal("success", fundingReceiptA.GetProperty("status").GetString());
        Assert.Equal(DevelopmentAccount.Address, fundingReceiptA.GetProperty("from").GetString());
        Assert.Equal(a, fundingReceiptA.GetProperty("to").GetString());
        Assert.Equal(TransferGas, fundingReceiptA.GetProperty("gasused").GetUInt64());
        Assert.Equal(Amount.FromSat((long)(TransferGas * fundingReceiptA.GetProperty("effectivegasprice").GetUInt64())), AmountOf(fundingReceiptA.GetProperty("fee")));
        Assert.Equal(fundingA, await CliBalanceAsync(node, a));
        Assert.Equal(fundingB, await CliBalanceAsync(node, b));
        var fundingBlockA = fundingReceiptA.GetProperty("blocknumber").GetUInt64();

        // The wallet's keys, taken out to sign in this process.
        using var keyA = KeyFromWif(await CliAsync(node, "dumpprivkey", a));
        using var keyB = KeyFromWif(await CliAsync(node, "dumpprivkey", b));
        var addressA = ParseAddress(a);
        var addressB = ParseAddress(b);
        Assert.Equal(addressA, AddressOf(keyA));
        Assert.Equal(addressB, AddressOf(keyB));

        // 1,000 transfers A→B and 100 B→A, with varying values and tips, submitted in JSON-RPC batches.
        var aToB = Enumerable.Range(0, TransfersAToB)
            .Select(i => Sign(keyA, (ulong)i, addressB, Amount.FromSat(100_000 + i), priority: 1 + (ulong)(i % 3))).ToList();
        var bToA = Enumerable.Range(0, TransfersBToA)
            .Select(j => Sign(keyB, (ulong)j, addressA, Amount.FromSat(50_000 + 7 * j), priority: 2)).ToList();
        var submitted = new List<Transaction>();
        for (var i = 0; i < TransfersAToB; i++)
        {
            submitted.Add(aToB[i]);
            if (i % (TransfersAToB / TransfersBToA) == 0)
                submitted.Add(bToA[i / (TransfersAToB / TransfersBToA)]);
        }
        var signedById = submitted.ToDictionary(t => t.Id);
        var submitWatch = Stopwatch.StartNew();
        foreach (var chunk in submitted.Chunk(220))
        {
            var txids = await BatchResultsAsync(node, [.. chunk.Select(t => ("l2_sendrawtransaction", new object?[] { Hex(t) }))]);
            for (var i = 0; i < chunk.Length; i++)
                Assert.Equal(chunk[i].Id.ToString(), txids[i].GetString());
        }
        output.WriteLine($"submitted {submitted.Count} transactions in {submitWatch.ElapsedMilliseconds} ms");
        await WaitForNoncesAsync(node, (a, TransfersAToB), (b, TransfersBToA));
        output.WriteLine($"all mined {submitWatch.ElapsedMilliseconds} ms after the first submission");

        // Bulk reads (one batch each): every receipt and every block from the funding to the last transfer.
        var receipts = await BatchResultsAsync(node, [.. submitted.Select(t => ("l2_gettransactionreceipt", new object?[] { t.Id.ToString() }))]);
        var receiptById = new Dictionary<Hash256, JsonElement>();
        for (var i = 0; i < submitted.Count; i++)
            receiptById.Add(submitted[i].Id, receipts[i]);
        receiptById.Add(fundingIds[0], fundingReceipts[0]);
        receiptById.Add(fundingIds[1], fundingReceipts[1]);
        var first = receiptById.Values.Min(r => r.GetProperty("blocknumber").GetUInt64());
        var last = receiptById.Values.Max(r => r.GetProperty("blocknumber").GetUInt64());
        var blocks = await BatchResultsAsync(node, [.. Enumerable.Range(0, (int)(last - first + 1)).Select(k => ("l2_getblockbynumber", new object?[] { first + (ulong)k, 2 }))]);

        // Every block: linked, base fee by the rule, gas = 21,000 per transfer, at most 100 transactions per sender,
        // each transaction exactly as signed and its receipt pointing back at it with the price the rule gives.
        var sequencer = blocks[0].GetProperty("sequencer").GetString()!;
        var sequencerIncome = Amount.Zero;
        var included = new HashSet<Hash256>();
        var blocksWithA = 0;
        var nextNonce = new Dictionary<string, ulong> { [a] = 0, [b] = 0, [DevelopmentAccount.Address] = 0 };
        for (var k = 0; k < blocks.Length; k++)
        {
            var block = blocks[k];
            var number = block.GetProperty("number").GetUInt64();
            var baseFee = block.GetProperty("basefeepergas").GetUInt64();
            Assert.Equal(first + (ulong)k, number);
            Assert.Equal(sequencer, block.GetProperty("sequencer").GetString());
            if (k > 0)
            {
                var parent = blocks[k - 1];
                Assert.Equal(parent.GetProperty("hash").GetString(), block.GetProperty("parenthash").GetString());
                Assert.Equal(ExpectedNextBaseFee(parent.GetProperty("basefeepergas").GetUInt64(), parent.GetProperty("gasused").GetUInt64(),
                    parent.GetProperty("gaslimit").GetUInt64()), baseFee);
            }
            var transactions = block.GetProperty("tx").EnumerateArray().ToList();
            Assert.Equal(transactions.Count, block.GetProperty("ntx").GetInt32());
            Assert.Equal(TransferGas * (ulong)transactions.Count, block.GetProperty("gasused").GetUInt64());
            var fromA = transactions.Count(t => t.GetProperty("from").GetString() == a);
            var fromB = transactions.Count(t => t.GetProperty("from").GetString() == b);
            Assert.True(fromA <= RateLimitPerBlock, $"block {number} holds {fromA} transactions from A, the limit is {RateLimitPerBlock}");
            Assert.True(fromB <= RateLimitPerBlock, $"block {number} holds {fromB} transactions from B, the limit is {RateLimitPerBlock}");
            blocksWithA += fromA > 0 ? 1 : 0;
            var blockFees = Amount.Zero;
            for (var index = 0; index < transactions.Count; index++)
            {
                var tx = transactions[index];
                var id = TxId(tx);
                Assert.True(included.Add(id), $"transaction {id} is in two blocks");
                var from = tx.GetProperty("from").GetString()!;
                Assert.Equal(nextNonce[from]++, tx.GetProperty("nonce").GetUInt64());
                Assert.Equal(block.GetProperty("hash").GetString(), tx.GetProperty("blockhash").GetString());
                Assert.Equal(index, tx.GetProperty("transactionindex").GetInt32());
                var receipt = receiptById[id];
                Assert.Equal("success", receipt.GetProperty("status").GetString());
                Assert.Equal(block.GetProperty("hash").GetString(), receipt.GetProperty("blockhash").GetString());
                Assert.Equal(number, receipt.GetProperty("blocknumber").GetUInt64());
                Assert.Equal(index, receipt.GetProperty("transactionindex").GetInt32());
                Assert.Equal(TransferGas, receipt.GetProperty("gasused").GetUInt64());
                Assert.Equal(TransferGas * (ulong)(index + 1), receipt.GetProperty("cumulativegasused").GetUInt64());
                var price = receipt.GetProperty("effectivegasprice").GetUInt64();
                var fee = AmountOf(receipt.GetProperty("fee"));
                Assert.Equal(Amount.FromSat((long)(TransferGas * price)), fee);
                if (signedById.TryGetValue(id, out var signed))
                {
                    Assert.Equal(Hex(signed), tx.GetProperty("hex").GetString());
                    Assert.Equal(signed.Value, AmountOf(tx.GetProperty("value")));
                    Assert.Equal(Math.Min(signed.MaxFeePerGas, baseFee + signed.MaxPriorityFeePerGas), price);
                }
                blockFees += fee;
            }
            // One sequencer: it keeps 70 % + the 20 % of the (absent) others, 10 % and the rounding are burned.
            sequencerIncome += Amount.FromSat(blockFees.Sat * 70 / 100 + blockFees.Sat * 20 / 100);
        }
        Assert.Equal(receiptById.Count, included.Count);
        Assert.True(blocksWithA >= TransfersAToB / RateLimitPerBlock, $"A's {TransfersAToB} transfers fit in {blocksWithA} blocks");
        output.WriteLine($"blocks {first}..{last}: {blocksWithA} with transfers from A; busiest holds {blocks.Max(x => x.GetProperty("ntx").GetInt32())}");

        // Exact balances, to the satoshi: funding − values sent − fees paid + values received.
        var valuesAToB = aToB.Aggregate(Amount.Zero, (sum, t) => sum + t.Value);
        var valuesBToA = bToA.Aggregate(Amount.Zero, (sum, t) => sum + t.Value);
        var feesA = aToB.Aggregate(Amount.Zero, (sum, t) => sum + AmountOf(receiptById[t.Id].GetProperty("fee")));
        var feesB = bToA.Aggregate(Amount.Zero, (sum, t) => sum + AmountOf(receiptById[t.Id].GetProperty("fee")));
        var expected = new Dictionary<string, Amount>
        {
            [a] = fundingA - valuesAToB - feesA + valuesBToA,
            [b] = fundingB - valuesBToA - feesB + valuesAToB,
            [DevelopmentAccount.Address] = GenesisBalance - fundingA - fundingB - fundingFees,
            [sequencer] = sequencerIncome,
        };
        foreach (var (address, balance) in expected)
            Assert.Equal(balance, await CliBalanceAsync(node, address));
        Assert.Equal((ulong)TransfersAToB, await CliNonceAsync(node, a));
        Assert.Equal((ulong)TransfersAToB, await CliNonceAsync(node, a, "pending"));
        Assert.Equal((ulong)TransfersBToA, await CliNonceAsync(node, b));
        Assert.Equal((ulong)TransfersBToA, await CliNonceAsync(node, b, "pending"));
        Assert.Equal(2UL, await CliNonceAsync(node, DevelopmentAccount.Address, "pending"));
        Assert.Equal(fundingA, await CliBalanceAsync(node, a, Text(fundingBlockA)));

        // Receipts and a transaction through cascoin-cli: the same as the batch read them, with the signed values.
        foreach (var transaction in new[] { aToB[0], aToB[^1], bToA[TransfersBToA / 2] })
        {
            var receipt = await CliJsonAsync(node, "l2_gettransactionreceipt", transaction.Id.ToString());
            Assert.Equal(Compact(receiptById[transaction.Id]), Compact(receipt));
            Assert.Equal(transaction.Id.ToString(), receipt.GetProperty("txid").GetString());
            Assert.Equal("success", receipt.GetProperty("status").GetString());
            Assert.Equal(TransferGas, receipt.GetProperty("gasused").GetUInt64());
            Assert.Equal(AddressOf(transaction == bToA[TransfersBToA / 2] ? keyB : keyA).ToBase58(Network), receipt.GetProperty("from").GetString());
            Assert.Equal(transaction.To.ToBase58(Network), receipt.GetProperty("to").GetString());
        }
        var middle = aToB[TransfersAToB / 2];
        var shown = await CliJsonAsync(node, "l2_gettransaction", middle.Id.ToString());
        Assert.Equal("transfer", shown.GetProperty("type").GetString());
        Assert.Equal(ChainId, shown.GetProperty("chainid").GetUInt64());
        Assert.Equal((ulong)(TransfersAToB / 2), shown.GetProperty("nonce").GetUInt64());
        Assert.Equal(a, shown.GetProperty("from").GetString());
        Assert.Equal(b, shown.GetProperty("to").GetString());
        Assert.Equal(middle.Value, AmountOf(shown.GetProperty("value")));
        Assert.Equal(MaxFee, shown.GetProperty("maxfeepergas").GetUInt64());
        Assert.Equal(middle.MaxPriorityFeePerGas, shown.GetProperty("maxpriorityfeepergas").GetUInt64());
        Assert.Equal(TransferGas, shown.GetProperty("gas").GetUInt64());
        Assert.Equal(middle.Size, shown.GetProperty("size").GetInt32());
        Assert.Equal(Hex(middle), shown.GetProperty("hex").GetString());
        Assert.Equal(receiptById[middle.Id].GetProperty("blockhash").GetString(), shown.GetProperty("blockhash").GetString());
        Assert.True(shown.GetProperty("confirmations").GetUInt64() >= 1);

        await CheckBusiestBlockAsync(node, blocks);
        var proof = await CheckProofAsync(node, a, addressA, expected[a], TransfersAToB);
        var funded = await CheckProofAsync(node, a, addressA, fundingA, 0, Text(fundingBlockA));
        Assert.Equal(fundingBlockA, funded.GetProperty("block").GetUInt64());
        await CheckFeeHistoryAsync(node, blocks, receiptById, last);
        output.WriteLine($"story checked after {watch.ElapsedMilliseconds} ms");

        // Restart on the same data directory: the head, every balance, a receipt and the state are as they were.
        var receiptText = await CliAsync(node, "l2_gettransactionreceipt", aToB[^1].Id.ToString());
        var headBefore = ulong.Parse(await CliAsync(node, "l2_blocknumber"), CultureInfo.InvariantCulture);
        Assert.True(headBefore >= last);
        Assert.Equal("cascoind stopping", await CliAsync(node, "stop"));
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        // The head at shutdown: the last block the producer logged (a heartbeat may follow the read above).
        var produced = ProducedBlockLine().Matches(node.ReadLog());
        Assert.NotEmpty(produced);
        var stopHead = ulong.Parse(produced[^1].Groups[1].Value, CultureInfo.InvariantCulture);
        var stopHash = produced[^1].Groups[2].Value;
        Assert.True(stopHead >= headBefore, $"the log's last block {stopHead} is before the head {headBefore} read over RPC");

        await using var restarted = new TestNode(dir.Path);
        await restarted.StartAsync();
        var startLine = StartHeadLine().Matches(restarted.ReadLog());
        Assert.Equal(2, startLine.Count);
        Assert.Equal($"{stopHead} {stopHash}", $"{startLine[^1].Groups[1].Value} {startLine[^1].Groups[2].Value}");
        var headAfter = ulong.Parse(await CliAsync(restarted, "l2_blocknumber"), CultureInfo.InvariantCulture);
        Assert.True(headAfter >= stopHead, $"head {headAfter} after the restart, {stopHead} before");
        var stopBlock = await CliJsonAsync(restarted, "l2_getblockbynumber", Text(stopHead));
        Assert.Equal(stopHash, stopBlock.GetProperty("hash").GetString());
        for (var n = stopHead + 1; n <= headAfter; n++)
        {
            // Only empty heartbeat blocks can have come since: nothing was submitted.
            var heartbeat = await CliJsonAsync(restarted, "l2_getblockbynumber", Text(n));
            Assert.Equal(0, heartbeat.GetProperty("ntx").GetInt32());
            Assert.Equal(stopBlock.GetProperty("stateroot").GetString(), heartbeat.GetProperty("stateroot").GetString());
        }
        foreach (var (address, balance) in expected)
            Assert.Equal(balance, await CliBalanceAsync(restarted, address));
        Assert.Equal(receiptText, await CliAsync(restarted, "l2_gettransactionreceipt", aToB[^1].Id.ToString()));
        var proofAfter = await CliJsonAsync(restarted, "l2_getproof", a);
        foreach (var field in new[] { "root", "key", "value", "proof", "account", "siblings" })
            Assert.Equal(Compact(proof.GetProperty(field)), Compact(proofAfter.GetProperty(field)));
        Assert.Equal(stopBlock.GetProperty("stateroot").GetString(), proofAfter.GetProperty("root").GetString());
        Assert.Equal((ulong)TransfersAToB, await CliNonceAsync(restarted, a, "pending"));

        // And it carries on: the wallet kept A's key, the nonce continues at 1,000.
        var oneMore = await CliJsonAsync(restarted, "l2_sendtransaction", a, b, "1");
        Assert.Equal((ulong)TransfersAToB, oneMore.GetProperty("nonce").GetUInt64());
        var oneMoreReceipt = (await WaitForReceiptsAsync(restarted, [TxId(oneMore)]))[0];
        Assert.True(oneMoreReceipt.GetProperty("blocknumber").GetUInt64() > stopHead);
        Assert.Equal(expected[b] + Amount.OneCas, await CliBalanceAsync(restarted, b));
        Assert.Equal(expected[a] - Amount.OneCas - AmountOf(oneMoreReceipt.GetProperty("fee")), await CliBalanceAsync(restarted, a));
        output.WriteLine($"story and restart took {watch.ElapsedMilliseconds} ms");
        dir.Succeeded();
    }

    /// <summary>The block with the most transactions, read with cascoin-cli at verbosity 0, 1 and 2, by number and by hash.</summary>
    private static async Task CheckBusiestBlockAsync(TestNode node, JsonElement[] blocks)
    {
        var busiest = blocks.MaxBy(x => x.GetProperty("ntx").GetInt32());
        var number = Text(busiest.GetProperty("number").GetUInt64());
        var hash = busiest.GetProperty("hash").GetString()!;
        var ids = busiest.GetProperty("tx").EnumerateArray().Select(t => t.GetProperty("txid").GetString()!).ToList();
        Assert.True(ids.Count > 1);

        var verbose1 = await CliJsonAsync(node, "l2_getblockbynumber", number);
        var verbose2 = await CliJsonAsync(node, "l2_getblockbynumber", number, "2");
        var raw = await CliAsync(node, "l2_getblockbynumber", number, "0");
        Assert.Equal(ids, verbose1.GetProperty("tx").EnumerateArray().Select(t => t.GetString()!).ToList());
        Assert.Equal(ids.Count, verbose1.GetProperty("ntx").GetInt32());
        Assert.Equal(WithoutConfirmations(busiest), WithoutConfirmations(verbose2));
        foreach (var field in new[] { "hash", "number", "parenthash", "stateroot", "transactionsroot", "receiptsroot", "sequencer", "timestamp", "gasused", "basefeepergas", "size", "signatures" })
            Assert.Equal(Compact(verbose2.GetProperty(field)), Compact(verbose1.GetProperty(field)));

        var decoded = Block.Decode(Convert.FromHexString(raw));
        Assert.Equal(hash, decoded.Hash.ToString());
        Assert.Equal(ids, decoded.Transactions.Select(t => t.Id.ToString()).ToList());
        Assert.Equal(verbose1.GetProperty("size").GetInt32(), raw.Length / 2);
        Assert.Equal(verbose1.GetProperty("stateroot").GetString(), decoded.Header.StateRoot.ToHex());
        Assert.Equal(verbose1.GetProperty("basefeepergas").GetUInt64(), decoded.Header.BaseFee);

        Assert.Equal(WithoutConfirmations(verbose1), WithoutConfirmations(await CliJsonAsync(node, "l2_getblockbyhash", hash)));
        Assert.Equal(WithoutConfirmations(verbose2), WithoutConfirmations(await CliJsonAsync(node, "l2_getblockbyhash", hash, "2")));
        Assert.Equal(raw, await CliAsync(node, "l2_getblockbyhash", hash, "0"));
    }

    /// <summary>
    /// l2_getproof through cascoin-cli: the account and its membership proof, checked with the
    /// product's verifier and again by folding the siblings with SHA-256 as SPEC §4 describes.
    /// </summary>
    private static async Task<JsonElement> CheckProofAsync(TestNode node, string address, Address owner, Amount balance, ulong nonce, params string[] at)
    {
        var proof = await CliJsonAsync(node, ["l2_getproof", address, .. at]);
        if (at is [var asked] && ulong.TryParse(asked, System.Globalization.CultureInfo.InvariantCulture, out var number))
            Assert.Equal(number, proof.GetProperty("block").GetUInt64());
        var key = SHA256.HashData(owner.ToArray());
        Assert.Equal(address, proof.GetProperty("address").GetString());
        Assert.Equal(Convert.ToHexStringLower(key), proof.GetProperty("key").GetString());
        Assert.Equal(Convert.ToHexStringLower(key), proof.GetProperty("leaf").GetProperty("key").GetString());
        var account = proof.GetProperty("account");
        Assert.Equal(balance, AmountOf(account.GetProperty("balance")));
        Assert.Equal(balance, await CliBalanceAsync(node, address, Text(proof.GetProperty("block").GetUInt64())));
        Assert.Equal(nonce, account.GetProperty("nonce").GetUInt64());
        var value = Convert.FromHexString(proof.GetProperty("value").GetString()!);
        var valueHash = SHA256.HashData(value);
        Assert.Equal(Convert.ToHexStringLower(valueHash), proof.GetProperty("leaf").GetProperty("valuehash").GetString());
        var block = await CliJsonAsync(node, "l2_getblockbynumber", Text(proof.GetProperty("block").GetUInt64()));
        Assert.Equal(block.GetProperty("stateroot").GetString(), proof.GetProperty("root").GetString());

        var root = Hash256.FromHex(proof.GetProperty("root").GetString()!);
        var compact = Convert.FromHexString(proof.GetProperty("proof").GetString()!);
        Assert.True(SmtVerifier.VerifyCompact(root, new Hash256(key), value, compact));
        var forged = (byte[])value.Clone();
        forged[1] ^= 1;
        Assert.False(SmtVerifier.VerifyCompact(root, new Hash256(key), forged, compact));

        // By hand: leaf = SHA-256(0x00 ‖ key ‖ SHA-256(value)); going up, inner = SHA-256(0x01 ‖ left ‖ right),
        // the siblings listed deepest first, the key's bit at each depth (most significant bit first) choosing the side.
        var siblings = proof.GetProperty("siblings").EnumerateArray().Select(s => Convert.FromHexString(s.GetString()!)).ToList();
        var depth = proof.GetProperty("depth").GetInt32();
        Assert.Equal(depth, siblings.Count);
        var node256 = SHA256.HashData([0x00, .. key, .. valueHash]);
        for (var i = 0; i < depth; i++)
        {
            var bitIndex = depth - 1 - i;
            var right = ((key[bitIndex / 8] >> (7 - bitIndex % 8)) & 1) == 1;
            node256 = right ? SHA256.HashData([0x01, .. siblings[i], .. node256]) : SHA256.HashData([0x01, .. node256, .. siblings[i]]);
        }
        Assert.Equal(proof.GetProperty("root").GetString(), Convert.ToHexStringLower(node256));
        return proof;
    }

    /// <summary>l2_feehistory of the last four blocks with transfers, against the blocks and receipts read before.</summary>
    private static async Task CheckFeeHistoryAsync(TestNode node, JsonElement[] blocks, Dictionary<Hash256, JsonElement> receipts, ulong newest)
    {
        const int Count = 4;
        var history = await CliJsonAsync(node, "l2_feehistory", Text(Count), Text(newest));
        var oldest = newest - Count + 1;
        Assert.Equal(oldest, history.GetProperty("oldestblock").GetUInt64());
        var baseFees = history.GetProperty("basefeepergas").EnumerateArray().Select(x => x.GetUInt64()).ToList();
        var ratios = history.GetProperty("gasusedratio").EnumerateArray().Select(x => x.GetDouble()).ToList();
        var tips = history.GetProperty("medianpriorityfeepergas").EnumerateArray().Select(x => x.GetUInt64()).ToList();
        Assert.Equal(Count + 1, baseFees.Count);
        Assert.Equal(Count, ratios.Count);
        Assert.Equal(Count, tips.Count);
        var first = blocks[0].GetProperty("number").GetUInt64();
        for (var i = 0; i < Count; i++)
        {
            var block = blocks[(int)(oldest - first) + i];
            Assert.Equal(oldest + (ulong)i, block.GetProperty("number").GetUInt64());
            var baseFee = block.GetProperty("basefeepergas").GetUInt64();
            Assert.Equal(baseFee, baseFees[i]);
            Assert.Equal((double)block.GetProperty("gasused").GetUInt64() / block.GetProperty("gaslimit").GetUInt64(), ratios[i]);
            var blockTips = block.GetProperty("tx").EnumerateArray()
                .Select(t => receipts[TxId(t)].GetProperty("effectivegasprice").GetUInt64() - baseFee)
                .Order().ToList();
            Assert.Equal(blockTips.Count == 0 ? 0 : blockTips[blockTips.Count / 2], tips[i]);
        }
        var newestBlock = blocks[(int)(newest - first)];
        Assert.Equal(ExpectedNextBaseFee(newestBlock.GetProperty("basefeepergas").GetUInt64(), newestBlock.GetProperty("gasused").GetUInt64(),
            newestBlock.GetProperty("gaslimit").GetUInt64()), baseFees[Count]);
    }

    private static Hash256 TxId(JsonElement element) => Hash256.Parse(element.GetProperty("txid").GetString()!);

    private static string Compact(JsonElement element) => JsonSerializer.Serialize(element);

    /// <summary>The JSON without "confirmations" (it grows with every heartbeat block), for comparing two reads of one block.</summary>
    private static string WithoutConfirmations(JsonElement element)
    {
        var node = JsonNode.Parse(element.GetRawText())!;
        Strip(node);
        return node.ToJsonString();

        static void Strip(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                obj.Remove("confirmations");
                foreach (var (_, child) in obj)
                    Strip(child);
            }
            else if (node is JsonArray array)
            {
                foreach (var child in array)
                    Strip(child);
            }
        }
    }

    [GeneratedRegex(@"Produced L2 block (\d+) ([0-9a-f]{64}) with")]
    private static partial Regex ProducedBlockLine();

    [GeneratedRegex(@"L2 chain \d+: head block (\d+) ([0-9a-f]{64}),")]
    private static partial Regex StartHeadLine();
}
