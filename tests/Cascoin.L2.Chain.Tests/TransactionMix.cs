using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.State.Accounts;

namespace Cascoin.L2.Chain.Tests;

/// <summary>A candidate for a block and what executing it must give: null (applies) or the reason it is refused.</summary>
internal sealed record Candidate(Transaction Transaction, TxRejectReason? Expected)
{
    public override string ToString() => $"{Transaction} → {Expected?.ToString() ?? "applies"}";
}

/// <summary>
/// Random candidates for one block over a few funded keys: transfers (to each other, to themselves, to
/// new accounts), withdrawals, and transactions made to fail in one known way (wrong nonce, wrong chain,
/// no signature, unsupported type, fee below the base fee, more than the balance). The valid ones are
/// built against a pessimistic view of each sender (its parent balance minus every upfront cost it
/// already offered, incoming value ignored), so they are certain to apply whatever the order.
/// </summary>
internal static class TransactionMix
{
    /// <summary>More than all test keys hold together (the genesis funds at most 100 CAS per key).</summary>
    private const long Unaffordable = 1_000_000 * Amount.SatPerCas;

    /// <summary>A genesis over the keys with random balances and HAT scores (some above 80, which pay half the base fee).</summary>
    public static IReadOnlyList<GenesisAllocation> Allocations(Random random, IReadOnlyList<PrivateKey> keys) =>
        keys.Select(k => new GenesisAllocation(
            TestKeys.AddressOf(k),
            Amount.FromSat(random.NextInt64(1_000_000, 100 * Amount.SatPerCas)),
            (byte)(random.Next(3) == 0 ? random.Next(81, 101) : random.Next(0, 81)))).ToList();

    public static List<Candidate> Block(Random random, IReadOnlyList<PrivateKey> keys, Func<Address, AccountState> parent,
        ChainParameters parameters, ulong baseFee, int count)
    {
        var nonces = new Dictionary<Address, ulong>();
        var budgets = new Dictionary<Address, long>();
        var candidates = new List<Candidate>(count);
        for (var i = 0; i < count; i++)
        {
            var key = keys[random.Next(keys.Count)];
            var sender = TestKeys.AddressOf(key);
            var account = parent(sender);
            var nonce = nonces.TryGetValue(sender, out var planned) ? planned : account.Nonce;
            var budget = budgets.TryGetValue(sender, out var left) ? left : account.Balance.Sat;
            var effectiveBase = FeeMarket.EffectiveBaseFee(baseFee, account.HatScore, parameters);
            var maxFee = effectiveBase + (ulong)random.Next(0, 15);
            var tip = (ulong)random.Next(0, (int)Math.Min(maxFee, 6) + 1);
            var data = random.Next(5) == 0 ? RandomData(random) : [];
            var gasLimit = IntrinsicGasOf(data) + (ulong)random.Next(0, 3) * 500;
            var kind = random.Next(12);
            var payee = random.Next(3) == 0 ? TestKeys.Outsider(random.Next(0, 5)) : TestKeys.AddressOf(keys[random.Next(keys.Count)]);

            Transaction Signed(TransactionType type, ulong withNonce, long value, ulong fee, ulong withTip, ulong chainId = Tx.ChainId) =>
                Tx.Make(type, key, withNonce, payee, value, fee, withTip, gasLimit, chainId, data);

            if (kind < 8)
            {
                // Valid: a transfer or (one in four) a withdrawal that the pessimistic budget covers.
                var fees = (long)(gasLimit * maxFee);
                if (budget < fees)
                {
                    candidates.Add(new Candidate(Signed(TransactionType.Transfer, nonce, Unaffordable, maxFee, tip), TxRejectReason.InsufficientFunds));
                    continue;
                }
                var value = random.NextInt64(0, (budget - fees) / 3 + 1);
                var type = kind < 6 ? TransactionType.Transfer : TransactionType.Withdrawal;
                candidates.Add(new Candidate(Signed(type, nonce, value, maxFee, tip), null));
                nonces[sender] = nonce + 1;
                budgets[sender] = budget - fees - value;
                continue;
            }
            candidates.Add(random.Next(7) switch
            {
                0 when nonce > 0 => new Candidate(Signed(TransactionType.Transfer, nonce - 1, 1, maxFee, tip), TxRejectReason.NonceTooLow),
                0 or 1 => new Candidate(Signed(TransactionType.Transfer, nonce + (ulong)random.Next(1, 4), 1, maxFee, tip), TxRejectReason.NonceTooHigh),
                2 => new Candidate(Signed(TransactionType.Transfer, nonce, 1, maxFee, tip, Tx.ChainId + 1), TxRejectReason.WrongChainId),
                3 => new Candidate(Transaction.CreateUnsigned(TransactionType.Transfer, Tx.ChainId, nonce, payee, Amount.FromSat(1), maxFee, tip, gasLimit, data), TxRejectReason.BadSignature),
                4 => new Candidate(Signed(TransactionType.ContractDeploy, nonce, 0, maxFee, tip), TxRejectReason.UnsupportedType),
                5 => new Candidate(Signed(TransactionType.Transfer, nonce, 1, effectiveBase - 1, 0), TxRejectReason.FeeTooLow),
                // Above the 10,000 CAS withdrawal limit, which is checked before the balance.
                _ => new Candidate(Signed(TransactionType.Withdrawal, nonce, Unaffordable, maxFee, tip), TxRejectReason.WithdrawalTooLarge),
            });
        }
        return candidates;
    }

    private static byte[] RandomData(Random random)
    {
        var data = new byte[random.Next(1, 40)];
        random.NextBytes(data);
        // Some zero bytes, which cost less gas.
        for (var i = 0; i < data.Length; i += 3)
            data[i] = 0;
        return data;
    }

    private static ulong IntrinsicGasOf(byte[] data) =>
        IntrinsicGas.Base + (ulong)data.Count(b => b == 0) * IntrinsicGas.ZeroByte + (ulong)data.Count(b => b != 0) * IntrinsicGas.NonZeroByte;
}
