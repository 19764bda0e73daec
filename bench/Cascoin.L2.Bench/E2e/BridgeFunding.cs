using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Bench.E2e;

/// <summary>
/// Funds the benchmark's accounts on a deployed chain the way users would: deposits on the
/// settlement chain to a few funders (each within the 10,000 CAS deposit limit), then transfers
/// from the funders (each within the mempool's per-sender limit).
/// </summary>
internal sealed record BridgeFunding(int Funders, int Share, Amount PerAccount, Amount PerFunder, int L1Blocks)
{
    private const ulong MaxFeePerGas = 100;
    private const int MaxShare = 900;
    private static readonly Amount MaxDeposit = Amount.FromCas(9_000);

    public static BridgeFunding Plan(int accounts, Amount perAccount)
    {
        var funders = Math.Max(4, (accounts + MaxShare - 1) / MaxShare);
        while (true)
        {
            var share = (accounts + funders - 1) / funders;
            // What a funder pays besides the transfers themselves: each transfer's gas at the fee cap.
            var perFunder = Amount.FromSat(share * (perAccount.Sat + (long)IntrinsicGas.Base * (long)MaxFeePerGas) + Amount.SatPerCas);
            if (perFunder <= MaxDeposit)
            {
                // Rewards (50 CAS a block) mature after 100 blocks; the deposits and their fees need this many.
                var l1Blocks = 110 + (int)((funders * perFunder.Sat) / (50 * Amount.SatPerCas)) + funders;
                return new BridgeFunding(funders, share, perAccount, perFunder, l1Blocks);
            }
            funders++;
        }
    }

    public async Task FundAsync(SequencerNetworkSetup network, PrivateKey[] keys, Address[] addresses, TextWriter progress)
    {
        using var node = network.Client(0);
        var funders = Enumerable.Range(0, Funders).Select(f => E2eBenchmark.DeterministicKey(1_000_000 + f)).ToArray();
        var funderAddresses = funders.Select(k => Address.FromPublicKey(k.PublicKey.AsSpan())).ToArray();
        foreach (var funder in funderAddresses)
            await node.CallAsync("l2_deposit", network.ChainId, (decimal)PerFunder.Sat / Amount.SatPerCas, funder.ToBase58(NetworkParameters.Regtest));
        await node.CallAsync("generate", 1);
        await SequencerNetworkSetup.WaitAsync(async () =>
        {
            foreach (var funder in funderAddresses)
            {
                if (Amount.Parse((await node.CallAsync("l2_getbalance", funder.ToBase58(NetworkParameters.Regtest))).GetRawText()) != PerFunder)
                    return false;
            }
            return true;
        }, "the funders' deposits are minted");
        progress.WriteLine($"e2e: {Funders} funders hold {PerFunder} CAS each on L2; funding {keys.Length} accounts");

        var transfers = new List<Transaction>();
        for (var f = 0; f < Funders; f++)
        {
            var mine = Enumerable.Range(f * Share, Math.Max(0, Math.Min(Share, keys.Length - f * Share))).ToList();
            for (var n = 0; n < mine.Count; n++)
            {
                var unsigned = Transaction.CreateUnsigned(TransactionType.Transfer, network.ChainId, (ulong)n, addresses[mine[n]], PerAccount, MaxFeePerGas, 1, IntrinsicGas.Base);
                transfers.Add(Transaction.Sign(unsigned, funders[f]));
            }
        }
        foreach (var chunk in transfers.Chunk(500))
        {
            var replies = await node.BatchAsync(chunk.Select(t => ("l2_sendrawtransaction", new object?[] { Convert.ToHexStringLower(t.ToBytes()) })).ToList());
            foreach (var reply in replies)
            {
                if (reply.TryGetProperty("error", out var error) && error.ValueKind != System.Text.Json.JsonValueKind.Null)
                    throw new InvalidOperationException("a funding transfer was refused: " + error.GetRawText());
            }
        }
        await SequencerNetworkSetup.WaitAsync(async () =>
        {
            for (var f = 0; f < Funders; f++)
            {
                var expected = Math.Max(0, Math.Min(Share, keys.Length - f * Share));
                if ((await node.CallAsync("l2_gettransactioncount", funderAddresses[f].ToBase58(NetworkParameters.Regtest))).GetUInt64() != (ulong)expected)
                    return false;
            }
            return true;
        }, "every account is funded");
    }
}
