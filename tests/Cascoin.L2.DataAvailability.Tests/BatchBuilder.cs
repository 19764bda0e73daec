using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.DataAvailability.Batches;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.DataAvailability.Tests;

/// <summary>Random batches of signed transactions (every type, with data or without) and certificates, replayable from a seed.</summary>
internal static class BatchBuilder
{
    public const ulong ChainId = 77;

    private static readonly DeterministicKeys Keys = new("da-batch");

    public static Transaction RandomTransaction(Random random, ulong chainId = ChainId)
    {
        var types = new[] { TransactionType.Transfer, TransactionType.Withdrawal, TransactionType.L2ToL1Message };
        var data = random.Next(4) == 0 ? RandomBytes(random, random.Next(1, 200)) : null;
        var to = new Address(RandomBytes(random, Address.Size));
        var unsigned = Transaction.CreateUnsigned(types[random.Next(types.Length)], chainId, (ulong)random.Next(0, 1000), to,
            Amount.FromSat(random.NextInt64(0, Amount.MaxMoneySat)), (ulong)random.Next(1, 100), (ulong)random.Next(0, 10), (ulong)random.Next(21_000, 100_000), data);
        return Transaction.Sign(unsigned, Keys.Key(random.Next(20)));
    }

    public static CommitCertificate RandomCertificate(Random random) =>
        random.Next(5) == 0 ? CommitCertificate.Empty : new CommitCertificate(random.Next(3), Enumerable.Range(0, random.Next(1, 5)).Select(_ => RandomBytes(random, RecoverableSignature.Size)).ToList());

    public static Batch RandomBatch(Random random, int maxBlocks = 6, int maxTransactions = 20) =>
        new(ChainId, (ulong)random.Next(1, 10_000), Enumerable.Range(0, random.Next(1, maxBlocks + 1))
            .Select(_ => new BatchBlock(RandomCertificate(random), Enumerable.Range(0, random.Next(0, maxTransactions + 1)).Select(_ => RandomTransaction(random)).ToList()))
            .ToList());

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
