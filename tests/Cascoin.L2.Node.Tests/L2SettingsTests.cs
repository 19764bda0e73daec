using Cascoin.L2.Node.Configuration;

namespace Cascoin.L2.Node.Tests;

public sealed class L2SettingsTests
{
    [Fact]
    public void Regtest_runs_the_development_chain_with_100_ms_blocks_by_default()
    {
        using var cfg = new ConfigFixture("l2-defaults");
        var settings = cfg.Node("-regtest");
        Assert.True(settings.RunsL2Chain);
        Assert.Equal(DevelopmentChain.ChainId, settings.EffectiveL2ChainId);
        Assert.Null(settings.L2BlockTimeMs);
        Assert.Null(settings.L2GenesisPath);
        Assert.Equal(100_000, settings.MaxMempoolTransactions);
        Assert.Empty(settings.Warnings);
        Assert.Equal(Path.Combine(settings.NetworkDirectory, "wallet.keys"), settings.WalletPath);
        Assert.Equal(Path.Combine(settings.NetworkDirectory, "sequencer.key"), settings.SequencerKeyPath);
        cfg.Succeeded();
    }

    [Fact]
    public void Options_set_block_time_chain_id_mempool_and_genesis()
    {
        using var cfg = new ConfigFixture("l2-options");
        var genesis = Path.Combine(cfg.DataDirectory, "genesis.json");
        File.WriteAllText(genesis, """{"alloc": {}}""");
        var settings = cfg.Node("-regtest", "-l2blocktime=250", "-l2chainid=0x2a", "-maxmempooltx=5000", $"-l2genesis={genesis}");
        Assert.Equal(250, settings.L2BlockTimeMs);
        Assert.Equal(42UL, settings.EffectiveL2ChainId);
        Assert.Equal(5000, settings.MaxMempoolTransactions);
        Assert.Equal(genesis, settings.L2GenesisPath);
        Assert.False(cfg.Node("-regtest", "-nol2").RunsL2Chain);
        cfg.Succeeded();
    }

    [Fact]
    public void The_double_signing_fault_injection_is_regtest_only_and_off_by_default()
    {
        using var cfg = new ConfigFixture("l2-equivocate");
        Assert.False(cfg.Node("-regtest").L2Equivocate);
        Assert.True(cfg.Node("-regtest", "-l2equivocate").L2Equivocate);
        Assert.Equal("-l2equivocate is a regtest fault injection: it makes the node double sign, which is slashed", cfg.Rejects("-testnet", "-l2equivocate"));
        cfg.Succeeded();
    }

    [Fact]
    public void The_fraud_proof_options_challenging_off_by_default_and_the_faulty_root_regtest_only()
    {
        using var cfg = new ConfigFixture("l2-fraud");
        Assert.False(cfg.Node("-regtest").L2Challenge);
        Assert.True(cfg.Node("-regtest", "-l2challenge").L2Challenge);
        Assert.Null(cfg.Node("-regtest").L2FaultyRoot);
        Assert.Equal(12UL, cfg.Node("-regtest", "-l2faultyroot=12").L2FaultyRoot);
        Assert.Equal("-l2faultyroot is a regtest fault injection: it makes the node sign wrong state roots, which are slashed", cfg.Rejects("-testnet", "-l2faultyroot=12"));
        cfg.Succeeded();
    }

    [Fact]
    public void Deriving_from_L1_is_for_a_deployed_chain_on_regtest_and_off_by_default()
    {
        using var cfg = new ConfigFixture("l2-sync");
        Assert.False(cfg.Node("-regtest", "-l2chainid=42").L2SyncFromL1);
        Assert.False(cfg.Node("-regtest", "-l2chainid=42", "-l2sync=p2p").L2SyncFromL1);
        Assert.True(cfg.Node("-regtest", "-l2chainid=42", "-l2sync=l1").L2SyncFromL1);
        Assert.Equal("-l2sync=peers: expected p2p or l1", cfg.Rejects("-regtest", "-l2chainid=42", "-l2sync=peers"));
        const string deployedOnly = "-l2sync=l1 derives a deployed chain from the embedded settlement chain: give -l2chainid=<a deployed chain> on regtest";
        Assert.Equal(deployedOnly, cfg.Rejects("-regtest", "-l2sync=l1"));
        Assert.Equal(deployedOnly, cfg.Rejects("-testnet", "-l2chainid=42", "-l2sync=l1"));
        cfg.Succeeded();
    }

    [Theory]
    [InlineData("-l2blocktime=5")]
    [InlineData("-l2blocktime=abc")]
    [InlineData("-maxmempooltx=10")]
    [InlineData("-l2genesis=does-not-exist.json")]
    [InlineData("-l2genesis=\0")] // a NUL is no path: found by the configuration fuzz property
    [InlineData("-l2withholdshares=maybe")]
    public void Bad_l2_options_stop_the_start(string option)
    {
        using var cfg = new ConfigFixture("l2-bad");
        var message = cfg.Rejects("-regtest", option);
        Assert.Contains(option.TrimStart('-').Split('=')[0], message, StringComparison.Ordinal);
        cfg.Succeeded();
    }
}
