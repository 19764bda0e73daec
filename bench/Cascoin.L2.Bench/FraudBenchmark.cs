using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Cascoin.L2.Chain;
using Cascoin.L2.Chain.Execution.Steps;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement;
using Cascoin.L2.Settlement.Contracts.Fraud;
using Cascoin.L2.Settlement.L1;
using Cascoin.L2.State;
using Cascoin.L2.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cascoin.L2.Bench;

/// <summary>
/// Fraud proofs (issue 14, being built): a state of <c>--accounts</c> accounts on RocksDB, one block of
/// <c>--txs</c> transfers from <c>--senders</c> keys to random accounts, every step of it proven
/// (<see cref="BlockSteps"/>), and each transfer's one-step proof encoded, decoded and verified as the
/// L1 verifier would. Reports the proofs' size (max and average), the verification time of one, the
/// time to prove a whole block, the moves of the longest game over a block of 10,000 transactions and
/// the L1 bytes of the longest game over this block (the main network's bisection).
/// </summary>
internal sealed class FraudBenchmark : IBenchmark
{
    private const int Seed = 20261207;

    public string Name => "fraud";

    public string Description => "fraud proofs: one-step proof bytes and verification time for transfers in a large state, proving a block's steps";

    public IReadOnlyList<BenchOption> Options { get; } =
    [
        new("accounts", "accounts in the state", "1000000"),
        new("txs", "transfers in the proven block", "1000"),
        new("senders", "keys that send them", "2000"),
    ];

    /// <summary>
    /// The L1 bytes of the longest game over the bench's block at the main network's width, as the real
    /// calls encode: the challenge (three headers, the parent certificate, every transaction id), a cut
    /// and a choice per round, the largest one-step proof, each in an L1 transaction (kind, nonce, fee,
    /// signature, payload length).
    /// </summary>
    private static long GameL1Bytes(BlockSteps steps, IReadOnlyList<Transaction> transactions, int width, int largestProof)
    {
        const int TransactionOverhead = 1 + 8 + 8 + 65 + 5;
        var header = new Chain.Blocks.BlockHeader(1, Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero, Address.Zero, 0, 0, 0, 0, 0, Hash256.Zero);
        var challenge = new ChallengeCall(1, 0, 1, new DisputeEvidence([header, header, header], Chain.Blocks.CommitCertificate.Empty,
            transactions.Select(t => t.Id).ToList())).ToBytes().Length;
        var rounds = (DissectionGame.MaxMoves(steps.Count, width) - 1) / 2;
        var cut = new DissectCall(1, 0, Enumerable.Repeat(Hash256.Zero, width - 1).ToList()).ToBytes().Length;
        var choose = new ChooseStepCall(1, 0, 0).ToBytes().Length;
        var proof = new ProveStepCall(1, 0, new byte[largestProof]).ToBytes().Length;
        return challenge + rounds * (long)(cut + choose) + proof + (2L * rounds + 2) * TransactionOverhead;
    }

    public void Run(BenchArguments arguments, Utf8JsonWriter result, TextWriter progress)
    {
        var accountCount = arguments.GetInt("accounts", 2, 50_000_000);
        var txCount = arguments.GetInt("txs", 1, 1_000_000);
        var senderCount = arguments.GetInt("senders", 1, 1_000_000);
        if (senderCount > accountCount)
            throw new BenchUsageException("--senders cannot exceed --accounts");
        var random = new Random(Seed);
        var directory = Path.Combine(Path.GetTempPath(), "cascoin-bench-fraud-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var database = NodeDatabase.Open(directory, new DatabaseOptions { SyncWrites = false }, NullLogger.Instance);
            using var state = new StateManager(database, new StateOptions(), NullLogger<StateManager>.Instance);
            var parameters = new ChainParameters { ChainId = 1 };
            var chain = new L2Blockchain(parameters, database, state, NullLogger<L2Blockchain>.Instance);
            var senders = Enumerable.Range(0, senderCount).Select(i => PrivateKey.FromBytes(SHA256.HashData(BitConverter.GetBytes(i)))!).ToArray();
            var addresses = senders.Select(k => Address.FromPublicKey(k.PublicKey.AsSpan()))
                .Concat(Enumerable.Range(senderCount, accountCount - senderCount).Select(i => new Address(SHA256.HashData(BitConverter.GetBytes(i)).AsSpan(0, Address.Size))))
                .ToArray();
            progress.WriteLine($"fraud: a genesis of {accountCount} accounts");
            var build = Stopwatch.StartNew();
            chain.EnsureGenesis(new GenesisSpec(1_767_225_600_000, addresses.Select((a, i) => new GenesisAllocation(a, Amount.FromCas(i < senderCount ? 1_000 : 1))).ToList()));
            progress.WriteLine($"fraud: state built in {build.Elapsed.TotalSeconds:F1} s; signing {txCount} transfers");

            var baseFee = chain.NextBaseFee;
            var nonces = new ulong[senderCount];
            var transactions = Enumerable.Range(0, txCount).Select(_ =>
            {
                var from = random.Next(senderCount);
                var unsigned = Transaction.CreateUnsigned(TransactionType.Transfer, 1, nonces[from]++, addresses[random.Next(accountCount)],
                    Amount.FromSat(random.Next(1, 100_000)), baseFee + 10, 1, IntrinsicGas.Base);
                return Transaction.Sign(unsigned, senders[from]);
            }).ToList();
            var frame = new BlockFrame(parameters, 1, baseFee, addresses[0], 0, [], state.GetStateRoot(), null);

            var prove = Stopwatch.StartNew();
            var steps = BlockSteps.Of(frame, transactions, state.Tree, 0);
            prove.Stop();
            progress.WriteLine($"fraud: {steps.Count} steps proven in {prove.Elapsed.TotalSeconds:F2} s; verifying each transfer's proof");

            var sizes = new List<int>(txCount);
            var verify = new Stopwatch();
            for (var step = 0; step < txCount; step++)
            {
                var bytes = steps.ProofOf(step).ToBytes();
                sizes.Add(bytes.Length);
                verify.Start();
                var (post, error) = OneStepProof.Decode(bytes).Verify(frame);
                verify.Stop();
                if (error is not null || post != steps.States[step + 1].Commitment)
                    throw new InvalidOperationException($"the proof of step {step} did not verify: {error}");
            }
            result.WriteNumber("accounts", accountCount);
            result.WriteNumber("txs", txCount);
            result.WriteNumber("one_step_proof_bytes_max", sizes.Max());
            result.WriteNumber("one_step_proof_bytes_avg", Math.Round(sizes.Average(), 1));
            result.WriteNumber("fee_split_proof_bytes", steps.ProofOf(txCount).ToBytes().Length);
            result.WriteNumber("one_step_verify_ms", Math.Round(verify.Elapsed.TotalMilliseconds / txCount, 3));
            result.WriteNumber("prove_block_ms", Math.Round(prove.Elapsed.TotalMilliseconds, 1));
            var width = SettlementParameters.Main.DissectionWidth;
            result.WriteNumber("moves_for_10000_tx_block", DissectionGame.MaxMoves(10_001, width));
            result.WriteNumber("game_l1_bytes", GameL1Bytes(steps, transactions, width, sizes.Max()));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }
}
