using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.Settlement.Contracts;
using Cascoin.L2.Settlement.L1;

namespace Cascoin.L2.Settlement.Tests.Contracts;

/// <summary>A settlement chain with one L2 chain deployed by an eligible sequencer (key 80) holding the minimum stake.</summary>
internal static class StakedChain
{
    public static readonly PrivateKey Sequencer = TestKeys.Key(80);
    public static readonly Address SequencerAddress = TestKeys.AddressOf(Sequencer);

    /// <summary>
    /// Funds the sequencer and <paramref name="alsoFunded"/>, deploys the chain and runs <paramref name="test"/> with its id.
    /// Funding comes first: mining for it later would reach the emergency window.
    /// </summary>
    public static void Run(string name, Action<L1Node, ulong> test, params PrivateKey[] alsoFunded) => Run(name, Chain.Transactions.EncryptionPolicy.Off, test, alsoFunded);

    /// <summary>As <see cref="Run(string, Action{L1Node, ulong}, PrivateKey[])"/>, the chain deployed with the encrypted mempool <paramref name="encryption"/>.</summary>
    public static void Run(string name, Chain.Transactions.EncryptionPolicy encryption, Action<L1Node, ulong> test, params PrivateKey[] alsoFunded) =>
        L1Node.Run(name, l1 =>
        {
            l1.Fund([Sequencer, .. alsoFunded], 2);
            l1.Submit(Sequencer, new SetReputationCall(SequencerAddress, 60));
            var deploy = l1.Submit(Sequencer, new DeployChainCall("staking", 100, 30_000_000, 10, l1.Parameters.MinimumSequencerStake, encryption));
            l1.Mine();
            var chainId = Registry.ChainIdOf(deploy.Id);
            Assert.Equal(ChainStatus.Active, l1.Chain.StateAtTip().GetChain(chainId)!.Status);
            test(l1, chainId);
        });

    public static StakeRecord StakeOf(L1Node l1, ulong chainId, Address address) => l1.Chain.StateAtTip().GetStake(chainId, address);
}
