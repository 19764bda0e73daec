using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>One list of system contracts (convention 11): every call kind but a plain transfer has exactly one contract, at a system address.</summary>
public sealed class SystemContractsTests
{
    [Fact]
    public void Every_call_kind_but_a_transfer_is_answered_by_exactly_one_system_contract()
    {
        foreach (var kind in Enum.GetValues<L1TransactionKind>())
        {
            var answering = SystemContracts.All.Where(c => c.Kinds.Contains(kind)).ToList();
            Assert.Equal(kind == L1TransactionKind.Transfer ? 0 : 1, answering.Count);
            Assert.Equal(answering.SingleOrDefault(), SystemContracts.For(kind));
        }
        Assert.All(SystemContracts.All, c => Assert.True(SystemAddresses.IsSystem(c.Address), $"{c.GetType().Name} is not at a system address"));
        // The order of the end-of-block duties: forced-inclusion misses before stake releases, fraud-proof
        // timeouts next (a proven fraud restarts the emergency clock), the emergency clock after them.
        Assert.Equal([typeof(ForcedInclusion), typeof(Staking), typeof(Cascoin.L2.Settlement.Contracts.Fraud.FraudVerifier), typeof(Anchors)], SystemContracts.All.Take(4).Select(c => c.GetType()));
    }
}
