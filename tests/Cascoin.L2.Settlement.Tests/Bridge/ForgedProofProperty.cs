using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.L1;
using FsCheck.Xunit;

namespace Cascoin.L2.Settlement.Tests.Bridge;

/// <summary>One final withdrawal shared by every case of <see cref="ForgedProofProperty"/>: its genuine call is never sent.</summary>
public sealed class FinalWithdrawalFixture : IDisposable
{
    public FinalWithdrawalFixture()
    {
        Kit = SettlementKit.Create(nameof(ForgedProofProperty));
        var user = Kit.Users[0];
        Kit.Deposit(user, Amount.FromCas(30));
        Kit.MineL1();
        Kit.ProduceL2();
        var withdrawal = Kit.SendL2(user, TransactionType.Withdrawal, TestKeys.AddressOf(user), Amount.FromCas(3));
        Kit.ProduceL2();
        Kit.WaitFinal(Kit.AnchorHead());
        Genuine = Kit.FinalizeCall(withdrawal.Id);
    }

    internal SettlementKit Kit { get; }

    internal FinalizeWithdrawalCall Genuine { get; }

    public void Dispose()
    {
        Kit.Passed();
        Kit.Dispose();
    }
}

/// <summary>Any single bit flipped in a withdrawal's proof or in its record makes the bridge refuse it and pay nothing (SPEC §6: paid only with an SMT proof against the anchored root).</summary>
public sealed class ForgedProofProperty(FinalWithdrawalFixture fixture) : IClassFixture<FinalWithdrawalFixture>
{
    [Property(Arbitrary = [typeof(SettlementGenerators)], MaxTest = 100)]
    public void A_withdrawal_with_one_bit_flipped_is_refused(Seed seed)
    {
        var random = new Random(seed.Value);
        var kit = fixture.Kit;
        var genuine = fixture.Genuine;
        var inProof = random.Next(2) == 0;
        var bytes = (inProof ? genuine.Proof : genuine.WithdrawalRecord).ToArray();
        var bit = random.Next(bytes.Length * 8);
        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        var forged = inProof ? genuine with { Proof = bytes } : genuine with { WithdrawalRecord = bytes };

        var receipt = kit.Execute(kit.Users[1], forged);

        Assert.False(receipt.Success);
        // A flipped amount can leave the money range: then the record does not even decode.
        Assert.True(receipt.Error!.StartsWith($"the proof does not show withdrawal {genuine.WithdrawalId}", StringComparison.Ordinal)
            || receipt.Error.StartsWith("not a withdrawal record", StringComparison.Ordinal), receipt.Error);
        Assert.Equal(Amount.FromCas(30), kit.Record.Locked);
        Assert.Equal(Amount.Zero, kit.Record.WithdrawnToday);
    }
}
