using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests;

/// <summary>
/// A call that must fail on L1: it is mined (a failed call pays its fee and uses its nonce), its receipt
/// names the reason, and nothing but the caller's fee moves — no L1 balance of the watched addresses,
/// no locked total, no withdrawal total, no stake.
/// </summary>
internal static class Refusal
{
    public static void AssertRefused(SettlementKit kit, PrivateKey caller, L1Call call, string reason, params Address[] watched)
    {
        ArgumentNullException.ThrowIfNull(kit);
        // The block must hold this call alone (no anchor of the sequencer, say), or other balances move with their fees.
        Assert.Empty(kit.L1.Chain.Mempool);
        var callerAddress = TestKeys.AddressOf(caller);
        var others = watched.Append(kit.SequencerAddress).Concat(kit.Users.Select(TestKeys.AddressOf)).Where(a => a != callerAddress).Distinct().ToList();
        var balances = others.ToDictionary(a => a, kit.L1.Balance);
        var callerBefore = kit.L1.Balance(callerAddress);
        var record = kit.Record;
        var stake = kit.SequencerStake;

        var receipt = kit.Execute(caller, call);

        Assert.False(receipt.Success, $"{call.Kind} was expected to fail with \"{reason}\"");
        Assert.Contains(reason, receipt.Error, StringComparison.Ordinal);
        Assert.Equal(callerBefore - kit.L1.Parameters.FeeFor(call.Kind, call.ToBytes().Length), kit.L1.Balance(callerAddress));
        foreach (var (address, before) in balances)
            Assert.Equal(before, kit.L1.Balance(address));
        var after = kit.Record;
        Assert.Equal(record.Locked, after.Locked);
        Assert.Equal(record.WithdrawnToday, after.WithdrawnToday);
        Assert.Equal(record.L1MessageCount, after.L1MessageCount);
        Assert.Equal(stake, kit.SequencerStake);
    }
}
