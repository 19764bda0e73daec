using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Chain.Execution;
using Cascoin.L2.Primitives;
using static Cascoin.L2.Chain.Tests.Blocks.TimestampProperties;

namespace Cascoin.L2.Chain.Tests.Blocks;

/// <summary>SPEC §5: the header checks against the parent besides the timestamp.</summary>
public sealed class HeaderRulesTests
{
    private static readonly ChainParameters Parameters = TestChains.Default;
    private static readonly BlockHeader ParentHeader = Parent(9, TestChains.GenesisTime, gasUsed: 30_000_000, baseFee: 800);
    private const ulong Now = TestChains.GenesisTime + 10_000;

    private static BlockHeader Valid => Child(ParentHeader, TestChains.GenesisTime + 500, Parameters);

    private static BlockHeader With(ulong? number = null, Hash256? parent = null, ulong? gasLimit = null, ulong? gasUsed = null, ulong? baseFee = null)
    {
        var v = Valid;
        return new BlockHeader(number ?? v.Number, parent ?? v.ParentHash, v.StateRoot, v.TransactionsRoot, v.ReceiptsRoot, v.L1MessagesRoot,
            v.Sequencer, v.Timestamp, gasLimit ?? v.GasLimit, gasUsed ?? v.GasUsed, baseFee ?? v.BaseFee, v.L1AnchorHeight, v.L1AnchorHash);
    }

    [Fact]
    public void A_correct_child_passes_and_its_base_fee_follows_the_parents_fullness()
    {
        Assert.Null(HeaderRules.Check(ParentHeader, Valid, Parameters, Now));
        // The parent was full: +12.5 %.
        Assert.Equal(900UL, Valid.BaseFee);
    }

    [Fact]
    public void Each_wrong_field_is_named()
    {
        Assert.Equal(BlockRejectReason.WrongParent, HeaderRules.Check(ParentHeader, With(parent: Hash256.Zero), Parameters, Now)?.Reason);
        Assert.Equal(BlockRejectReason.WrongNumber, HeaderRules.Check(ParentHeader, With(number: 11), Parameters, Now)?.Reason);
        Assert.Equal(BlockRejectReason.WrongNumber, HeaderRules.Check(ParentHeader, With(number: 9), Parameters, Now)?.Reason);
        Assert.Equal(BlockRejectReason.WrongGasLimit, HeaderRules.Check(ParentHeader, With(gasLimit: 30_000_001), Parameters, Now)?.Reason);
        Assert.Equal(BlockRejectReason.GasOverLimit, HeaderRules.Check(ParentHeader, With(gasUsed: 30_000_001), Parameters, Now)?.Reason);
        Assert.Null(HeaderRules.Check(ParentHeader, With(gasUsed: 30_000_000), Parameters, Now));
        Assert.Equal(BlockRejectReason.WrongBaseFee, HeaderRules.Check(ParentHeader, With(baseFee: 899), Parameters, Now)?.Reason);
        Assert.Equal(BlockRejectReason.WrongBaseFee, HeaderRules.Check(ParentHeader, With(baseFee: 800), Parameters, Now)?.Reason);
    }

    [Fact]
    public void The_base_fee_rule_uses_the_chains_minimum_gas_price()
    {
        var parameters = Parameters with { MinGasPrice = 1_000 };
        var header = Child(ParentHeader, TestChains.GenesisTime + 500, parameters);
        Assert.Equal(1_000UL, header.BaseFee);
        Assert.Null(HeaderRules.Check(ParentHeader, header, parameters, Now));
        Assert.Equal(BlockRejectReason.WrongBaseFee, HeaderRules.Check(ParentHeader, header, Parameters, Now)?.Reason);
        Assert.Equal(FeeMarket.NextBaseFee(800, 30_000_000, 30_000_000, 1), Valid.BaseFee);
    }
}
