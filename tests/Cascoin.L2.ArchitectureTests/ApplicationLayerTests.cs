namespace Cascoin.L2.ArchitectureTests;

/// <summary>
/// Convention 14: the settlement RPC modules bind parameters and map DTOs; building L1 calls, signing
/// them, storage keys and proofs belong to the settlement application layer
/// (<c>Cascoin.L2.Settlement/Application</c>). A module that reaches for them again fails here.
/// </summary>
public sealed class ApplicationLayerTests
{
    private static readonly string[] DomainWork =
    [
        "SettlementKeys.", "BridgeKeys.", "StateKeys.", "GetRecordProof(", "L1Transaction.Sign(", "Transaction.Sign(", ".Submit(", "PendingNonce(",
        "new FinalizeWithdrawalCall(", "new EmergencyWithdrawCall(", "new ExecuteMessageCall(", "new DepositCall(", "new BondCall(",
    ];

    public static TheoryData<string> SettlementModules() =>
        new(Directory.GetFiles(Path.Combine(LayeringTests.RepositoryRoot, "src", "Cascoin.L2.Rpc", "Modules", "Settlement"), "*.cs").Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(SettlementModules))]
    public void Settlement_rpc_modules_leave_building_signing_and_proving_to_the_application_layer(string file)
    {
        var source = File.ReadAllText(Path.Combine(LayeringTests.RepositoryRoot, "src", "Cascoin.L2.Rpc", "Modules", "Settlement", file));
        foreach (var work in DomainWork)
            Assert.False(source.Contains(work, StringComparison.Ordinal), $"{file} uses {work.TrimEnd('(', '.')}: move it into the settlement application layer");
    }
}
