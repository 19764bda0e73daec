using Cascoin.L2.Chain.Blocks;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Chain.Tests.Blocks;

/// <summary>The one count behind parent certificates (L2) and anchor certificates (L1): what it accepts and the first fault it names.</summary>
public sealed class CertificateTallyTests
{
    private const ulong ChainId = 9;
    private static readonly PrivateKey[] Set = [TestKeys.Key(110), TestKeys.Key(111), TestKeys.Key(112), TestKeys.Key(113)];
    private static readonly Dictionary<Address, UInt128> Weights = Set.Select((k, i) => (TestKeys.AddressOf(k), (UInt128)(i == 0 ? 40 : 20))).ToDictionary(p => p.Item1, p => p.Item2);

    private static readonly BlockHeader Header = new(5, new Hash256(Hashes.Sha256d("parent"u8)), Hash256.Zero, Hash256.Zero, Hash256.Zero, Hash256.Zero,
        TestKeys.AddressOf(Set[0]), TestChains.GenesisTime, 30_000_000, 0, 7, 3, Hash256.Zero);

    private static CertificateTally Tally(IEnumerable<PrivateKey> signers, int round = 2, int sealedRound = 2, ulong chainId = ChainId) =>
        CertificateTally.Of(new CommitCertificate(round, signers.Select(k => Block.Seal(chainId, Header, k, sealedRound)).ToList()), ChainId, Header, Weights);

    [Fact]
    public void More_than_two_thirds_of_the_weight_by_distinct_members_is_valid_and_exactly_two_thirds_is_not()
    {
        // Weights 40, 20, 20, 20: the first two hold 60 of 100, the first three 80.
        var valid = Tally([Set[0], Set[1], Set[2]]);
        Assert.True(valid.IsValid);
        Assert.Equal((UInt128)80, valid.Signed);
        Assert.Equal((UInt128)100, valid.Total);
        Assert.Equal(Set[..3].Select(TestKeys.AddressOf), valid.Signers);
        Assert.Equal(CertificateFault.NoQuorum, Tally([Set[1], Set[2], Set[3]]).Fault); // 60 of 100
        Assert.Equal(CertificateFault.NoQuorum, Tally([]).Fault);
    }

    [Fact]
    public void A_repeated_signer_a_stranger_another_round_another_chain_or_garbage_is_named()
    {
        var repeated = Tally([Set[0], Set[1], Set[1]]);
        Assert.Equal((CertificateFault.RepeatedSigner, TestKeys.AddressOf(Set[1])), (repeated.Fault, repeated.Culprit));
        var stranger = TestKeys.Key(114);
        var foreign = Tally([Set[0], stranger, Set[1]]);
        Assert.Equal((CertificateFault.SignerNotInSet, TestKeys.AddressOf(stranger)), (foreign.Fault, foreign.Culprit));
        // A precommit of another round or chain recovers to some other key: not a member.
        Assert.Equal(CertificateFault.SignerNotInSet, Tally(Set, round: 2, sealedRound: 1).Fault);
        Assert.Equal(CertificateFault.SignerNotInSet, Tally(Set, chainId: ChainId + 1).Fault);
        var garbage = CertificateTally.Of(new CommitCertificate(2, [new byte[RecoverableSignature.Size]]), ChainId, Header, Weights);
        Assert.Equal(CertificateFault.SignatureDoesNotRecover, garbage.Fault);
    }
}
