using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// The encrypted mempool on real processes (doc/encrypted-mempool.md, issue 15): three staked
/// sequencers make the epoch key together and commit it on L1; encrypted transfers are ordered as
/// ciphertext (all a full node sees until the block is final) and executed a block later; a sequencer
/// that withholds its shares does not stop them, one that sends bad shares is refused and scored; a
/// fourth staker starts a new epoch whose key the four hold; a member whose shares name no
/// certificate of their block is reported on L1 and slashed.
/// </summary>
public sealed partial class SequencerNetworkTests
{
    private const int FullNode = Sequencers;

    [Fact]
    public async Task Encrypted_transfers_are_ordered_blind_and_opened_by_the_sequencers_key_even_with_a_withholding_or_lying_member()
    {
        var watch = Stopwatch.StartNew();
        await DeployWithFourSequencersAsync(staked: 3, encryption: "optional");
        await StopAllAsync();
        for (var i = 0; i <= Sequencers; i++)
            await StartAsync(i, onChain: true);
        output.WriteLine($"deployed chain {_chainId} with 3 staked sequencers and an encrypted mempool: {watch.ElapsedMilliseconds} ms");

        var first = await EpochKeyAsync(1);
        Assert.Equal(3, first.GetProperty("members").GetArrayLength());
        Assert.Equal(2, first.GetProperty("threshold").GetInt32());
        Assert.Equal(_sequencerAddresses.Take(3).Order(StringComparer.Ordinal), first.GetProperty("members").EnumerateArray().Select(m => m.GetString()!));
        foreach (var i in Enumerable.Range(0, 3))
            Assert.Contains("its key is committed", Node(i).ReadLog(), StringComparison.Ordinal);
        // The full node learns the key from the settlement chain, as users do.
        Assert.Equal(first.GetProperty("key").GetString(), (await Json(Node(FullNode), "l2_getencryptionkey")).GetProperty("key").GetString());
        output.WriteLine($"epoch 1 committed at L1 height {first.GetProperty("committedheight")}: {watch.ElapsedMilliseconds} ms");

        var (alice, bob) = await FundAliceAsync();
        await EncryptedTransfersAsync(alice, bob, 3, expectBob: 3m, watchBlind: true);
        output.WriteLine($"3 encrypted transfers executed: {watch.ElapsedMilliseconds} ms");
        await OfflineEnvelopeAsync(alice, bob, first);
        output.WriteLine($"an envelope built offline by cascoin-cli executed: {watch.ElapsedMilliseconds} ms");
        await FalseCommitmentOpensToNothingAsync(alice, first);
        output.WriteLine($"an envelope with a false key commitment was opened to nothing by single shares: {watch.ElapsedMilliseconds} ms");

        await RestartAsync(2, "-l2withholdshares");
        await EncryptedTransfersAsync(alice, bob, 2, expectBob: 6m);
        Assert.DoesNotContain(Running.Where(i => i != 2), i => Node(i).ReadLog().Contains("Refused the decryption shares", StringComparison.Ordinal));
        output.WriteLine($"a withholding sequencer did not stop 2 more: {watch.ElapsedMilliseconds} ms");

        await RestartAsync(2, "-l2badshares");
        // A leader combines the first t batches that arrive: the liar's are refused when they are among
        // them and node 0 or 1 leads (the slot's leader rotates every 10 blocks), so it takes some rounds.
        for (var round = 0; round < 15 && !Running.Where(i => i is 0 or 1).Any(i => Node(i).ReadLog().Contains("Refused the decryption shares of member", StringComparison.Ordinal)); round++)
            await EncryptedTransfersAsync(alice, bob, 2, expectBob: 8m + 2 * round);
        Assert.Contains(Running.Where(i => i is 0 or 1), i => Node(i).ReadLog().Contains("Refused the decryption shares of member", StringComparison.Ordinal));
        output.WriteLine($"bad shares refused and scored, transfers still executed: {watch.ElapsedMilliseconds} ms");

        await RestartAsync(2);
        await StakeAsync(3);
        var second = await EpochKeyAsync(2);
        Assert.Equal(4, second.GetProperty("members").GetArrayLength());
        Assert.Equal(3, second.GetProperty("threshold").GetInt32());
        Assert.NotEqual(first.GetProperty("key").GetString(), second.GetProperty("key").GetString());
        Assert.True(second.GetProperty("setheight").GetUInt64() > first.GetProperty("setheight").GetUInt64());
        Assert.Contains("its key is committed", Node(3).ReadLog(), StringComparison.Ordinal);
        var bobNow = (await Json(Node(0), "l2_getbalance", bob)).GetDecimal();
        await EncryptedTransfersAsync(alice, bob, 1, expectBob: bobNow + 1m, epoch: 2);
        output.WriteLine($"epoch 2 with the new member committed at L1 height {second.GetProperty("committedheight")}, and used: {watch.ElapsedMilliseconds} ms");

        await EarlySharesSlashedAsync(alice, bob, bobNow + 1m);
        output.WriteLine($"a member releasing shares with no certificate of their block was reported and slashed on L1: {watch.ElapsedMilliseconds} ms");
        _dir.Succeeded();
    }

    /// <summary>
    /// Sequencer 2 restarted with -l2earlyshares releases its batches naming no commit certificate, as a
    /// member that made them before the block was final would: the others refuse them, post the signed
    /// release to the staking contract, and its stake is slashed; the transfers still execute (three
    /// honest members of four hold the threshold).
    /// </summary>
    private async Task EarlySharesSlashedAsync(string alice, string bob, decimal bobNow)
    {
        const int early = 2;
        // Every release so far (the liar's bad shares too) named a certificate of its block: nobody was reported.
        Assert.DoesNotContain(Running, i => Node(i).ReadLog().Contains("shares released before finality", StringComparison.Ordinal));
        var before = await BondedAsync(early);
        await RestartAsync(early, "-l2earlyshares");
        await EncryptedTransfersAsync(alice, bob, 2, expectBob: bobNow + 2m, epoch: 2);
        var after = await TestWait.UntilAsync(async () =>
        {
            await Json(Node(0), "generate", "1");
            await Task.Delay(500);
            return await BondedAsync(early);
        }, bonded => bonded < before, "the member that released early shares is slashed", TimeSpan.FromSeconds(120));
        Assert.Contains(Running.Where(i => i != early), i => Node(i).ReadLog().Contains("Posted the evidence of member", StringComparison.Ordinal));
        output.WriteLine($"member {early}'s bond went from {before} to {after} CAS");
    }

    private async Task<decimal> BondedAsync(int index) => (await Json(Node(0), "l2_getchaininfo", _chainId)).GetProperty("sequencers").EnumerateArray()
        .Single(s => s.GetProperty("address").GetString() == _sequencerAddresses[index]).GetProperty("bonded").GetDecimal();

    /// <summary>A deposit of 100 CAS to a new wallet address of node 0 (alice), minted on L2; bob is another.</summary>
    private async Task<(string Alice, string Bob)> FundAliceAsync()
    {
        var alice = await Cli(Node(0), "getnewaddress");
        var bob = await Cli(Node(0), "getnewaddress");
        await Cli(Node(0), "l2_deposit", _chainId, "100", alice);
        await Json(Node(0), "generate", "1");
        await TestWait.UntilAsync(() => Json(Node(FullNode), "l2_getbalance", alice), b => b.GetDecimal() == 100m, "the deposit is minted and reaches the full node");
        return (alice, bob);
    }

    /// <summary>
    /// Sends <paramref name="count"/> encrypted transfers of 1 CAS from alice to bob through node 0 and
    /// waits until every running node shows bob at <paramref name="expectBob"/>; with
    /// <paramref name="watchBlind"/>, checks that the full node held each envelope as ciphertext only.
    /// </summary>
    private async Task EncryptedTransfersAsync(string alice, string bob, int count, decimal expectBob, bool watchBlind = false, ulong epoch = 1)
    {
        var network = NetworkParameters.Regtest;
        var recipient = Address.Parse(bob, network).ToArray();
        var sent = new List<string>();
        for (var n = 0; n < count; n++)
        {
            var envelopeId = await Cli(Node(0), "l2_sendencryptedtransaction", alice, bob, "1");
            sent.Add(envelopeId);
            var held = await CliCalls.TransactionAsync(Node(FullNode), envelopeId, "the envelope reaches the full node");
            Assert.Equal("envelope", held.GetProperty("type").GetString());
            var envelope = Transaction.Decode(Convert.FromHexString(held.GetProperty("hex").GetString()!));
            Assert.Equal(epoch, Envelope.Parse(envelope)!.Value.Epoch);
            if (watchBlind)
            {
                // The recipient and the amount are nowhere in what the full node holds: only the sender, fees and ciphertext.
                Assert.Equal(Address.Zero, envelope.To);
                Assert.Equal(Amount.Zero, envelope.Value);
                Assert.DoesNotContain(Convert.ToHexStringLower(recipient), Convert.ToHexStringLower(envelope.ToBytes()), StringComparison.Ordinal);
            }
            await CliCalls.ReceiptAsync(Node(0), envelopeId, "the envelope is ordered in a final block");
        }
        foreach (var i in Running)
            await TestWait.UntilAsync(() => Json(Node(i), "l2_getbalance", bob), b => b.GetDecimal() == expectBob, $"node {i} executes the opened transfers");
        // Each envelope's receipt names the transaction that opened it, in a later block, and says its transfer ran.
        foreach (var id in sent)
        {
            var receipt = await Json(Node(FullNode), "l2_gettransactionreceipt", id);
            var opening = receipt.GetProperty("opening");
            Assert.Equal("success", opening.GetProperty("status").GetString());
            Assert.True(opening.GetProperty("blocknumber").GetUInt64() > receipt.GetProperty("blocknumber").GetUInt64());
            Assert.Equal("success", (await Json(Node(FullNode), "l2_gettransactionreceipt", opening.GetProperty("txid").GetString()!)).GetProperty("status").GetString());
        }
    }

    /// <summary>
    /// cascoin-cli sealtransaction on the full node's machine, with no node asked: alice's key, her
    /// pending nonce and the epoch key as any wallet reads them; the raw envelope goes to the full node.
    /// </summary>
    private async Task OfflineEnvelopeAsync(string alice, string bob, JsonElement epochKey)
    {
        var wif = await Cli(Node(0), "dumpprivkey", alice);
        var nonce = (await Json(Node(0), "l2_gettransactioncount", alice, "pending")).GetUInt64().ToString(CultureInfo.InvariantCulture);
        var key = epochKey.GetProperty("key").GetString()!;
        var epoch = epochKey.GetProperty("epoch").GetUInt64().ToString(CultureInfo.InvariantCulture);
        var refused = await Node(FullNode).CliAsync("sealtransaction", wif, bob, "1", nonce, _chainId, epoch, "02" + new string('0', 64));
        Assert.True(refused.ExitCode == 1 && refused.Stderr.StartsWith("error: epochkey is not", StringComparison.Ordinal), refused.ToString());
        var raw = await Cli(Node(FullNode), "sealtransaction", wif, bob, "1", nonce, _chainId, epoch, key, "1000");
        var envelope = Transaction.Decode(Convert.FromHexString(raw));
        Assert.Equal(TransactionType.Envelope, envelope.Type);
        var id = await Cli(Node(FullNode), "l2_sendrawtransaction", raw);
        Assert.Equal(envelope.Id.ToString(), id);
        await CliCalls.ReceiptAsync(Node(FullNode), id, "the offline envelope is ordered");
        foreach (var i in Running)
            await TestWait.UntilAsync(() => Json(Node(i), "l2_getbalance", bob), b => b.GetDecimal() == 4m, $"node {i} executes the offline envelope's transfer");
    }

    /// <summary>
    /// A sender that writes a false key commitment into a well-formed envelope (its proof of randomness
    /// holds), sent raw to the full node: the members' batches give a secret the commitment does not
    /// match, so the leader asks them for single shares of that envelope (<c>l2decshare</c> kind 2)
    /// and opens it to nothing with t of them. The fee stays paid, the transfer inside never runs, and
    /// the receipt says so.
    /// </summary>
    private async Task FalseCommitmentOpensToNothingAsync(string alice, JsonElement epochKey)
    {
        var network = NetworkParameters.Regtest;
        var key = Cascoin.L2.Crypto.PrivateKey.Generate();
        var sender = Address.FromPublicKey(key.PublicKey.AsSpan());
        var recipient = await Cli(Node(0), "getnewaddress");
        await Json(Node(0), "l2_sendtransaction", alice, sender.ToBase58(network), "2");
        await TestWait.UntilAsync(() => Json(Node(FullNode), "l2_getbalance", sender.ToBase58(network)), b => b.GetDecimal() == 2m, "the sender is funded");

        var chainId = ulong.Parse(_chainId, CultureInfo.InvariantCulture);
        var epoch = epochKey.GetProperty("epoch").GetUInt64();
        const ulong maxFee = 100, tip = 2;
        var inner = Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Transfer, chainId, 0, Address.Parse(recipient, network), Amount.OneCas, maxFee, tip, 21_000), key);
        var gas = Envelope.GasFor(inner);
        var label = Envelope.Label(chainId, sender, 0, epoch, gas, maxFee, tip);
        var r = Cascoin.L2.Crypto.Threshold.Group.RandomScalar();
        var epochPoint = Cascoin.L2.Crypto.Threshold.Group.Decode(Convert.FromHexString(epochKey.GetProperty("key").GetString()!))!;
        var forged = Cascoin.L2.Crypto.Threshold.ThresholdEncryption.Encrypt(epochPoint, r, inner.ToBytes(), label);
        forged[Cascoin.L2.Crypto.Threshold.ThresholdEncryption.BodyStart] ^= 1;
        Cascoin.L2.Crypto.Threshold.ThresholdEncryption.Prove(forged, r, label);
        var data = new byte[8 + forged.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(data, epoch);
        forged.CopyTo(data, 8);
        var envelope = Transaction.Sign(Transaction.CreateUnsigned(TransactionType.Envelope, chainId, 0, Address.Zero, Amount.Zero, maxFee, tip, gas, data), key);
        var id = await Cli(Node(FullNode), "l2_sendrawtransaction", Convert.ToHexStringLower(envelope.ToBytes()));

        var receipt = await TestWait.UntilAsync(() => Json(Node(FullNode), "l2_gettransactionreceipt", id),
            r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("opening", out _), "the envelope with a false key commitment is opened", TimeSpan.FromSeconds(60));
        var opening = receipt.GetProperty("opening");
        Assert.Equal("failed", opening.GetProperty("status").GetString());
        var openingTx = Transaction.Decode(Convert.FromHexString((await Json(Node(FullNode), "l2_gettransaction", opening.GetProperty("txid").GetString()!)).GetProperty("hex").GetString()!));
        Assert.Equal(DecryptionMode.Shares, Decryption.Parse(openingTx).Mode);
        Assert.Equal(0m, (await Json(Node(FullNode), "l2_getbalance", recipient)).GetDecimal());
        Assert.True((await Json(Node(FullNode), "l2_getbalance", sender.ToBase58(network))).GetDecimal() < 2m, "the envelope's fee is paid");
    }

    private async Task RestartAsync(int index, params string[] extra)
    {
        await Node(index).DisposeAsync();
        _nodes[index] = null;
        await StartAsync(index, onChain: true, extra);
        await L1ConvergedAsync();
    }

    /// <summary>Mines settlement blocks at the L2 chain's pace until epoch <paramref name="epoch"/>'s key is on L1 and every node sees it.</summary>
    private async Task<JsonElement> EpochKeyAsync(ulong epoch)
    {
        // A run takes 7 phases of 2 blocks; it starts at a multiple of 10 and its record is mined a few blocks later.
        for (var blocks = 0; blocks < 45; blocks++)
        {
            var record = await Node(0).CliAsync("l2_getencryptionkey", _chainId, epoch.ToString(CultureInfo.InvariantCulture));
            if (record.ExitCode == 0)
            {
                await L1ConvergedAsync();
                using var document = JsonDocument.Parse(record.Stdout);
                return document.RootElement.Clone();
            }
            // One L2 block per L1 block: the anchors (every 5 L2 blocks) keep well inside the emergency window.
            var before = await L2Height(Node(0));
            await Json(Node(0), "generate", "1");
            await L1ConvergedAsync();
            await TestWait.UntilAsync(() => L2Height(Node(0)), h => h > before, "the L2 chain keeps pace with L1", TimeSpan.FromSeconds(60));
        }
        throw new Xunit.Sdk.XunitException($"no key for epoch {epoch} after 45 L1 blocks; node 0's log:\n{Node(0).ReadLog()}");
    }
}
