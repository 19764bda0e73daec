using System.Text.Json;
using Cascoin.L2.Node.Configuration;
using Cascoin.L2.Primitives;
using Cascoin.L2.Primitives.Configuration;

namespace Cascoin.L2.Node.Tests;

public sealed class GenesisFileTests
{
    private const string Development = "mzfGvaLaW1wmVBWmxo5xs9eJ8aN6ZjdqTe";

    private static Chain.GenesisSpec Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return GenesisFile.Parse(document.RootElement, NetworkParameters.Regtest, "genesis.json");
    }

    [Fact]
    public void Reads_timestamp_balances_exactly_and_scores()
    {
        var genesis = Parse("{\"timestamp\": 1700000000000, \"alloc\": {\"" + Development + "\": {\"balance\": 12.34567891, \"hatscore\": 90}}}");
        Assert.Equal(1_700_000_000_000UL, genesis.Timestamp);
        var allocation = Assert.Single(genesis.Allocations);
        Assert.Equal(Development, allocation.Address.ToBase58(NetworkParameters.Regtest));
        Assert.Equal(Amount.FromSat(1_234_567_891), allocation.Balance);
        Assert.Equal(90, allocation.HatScore);
    }

    [Fact]
    public void The_development_account_is_the_published_one()
    {
        Assert.Equal(Development, DevelopmentChain.DevelopmentAddress.ToBase58(NetworkParameters.Regtest));
        Assert.Equal("cMv8SSgx12Pib8XcQw5t5vPQtfa3pvLRnfb2mLcDF7JQYC6rUfQm", DevelopmentChain.DevelopmentWif(NetworkParameters.Regtest));
    }

    [Theory]
    [InlineData("[]", "JSON object")]
    [InlineData("""{"timestamp": -1, "alloc": {}}""", "timestamp")]
    [InlineData("""{"timestamp": 1}""", "alloc")]
    [InlineData("""{"alloc": {"nonsense": {"balance": 1}}}""", "not a regtest address")]
    [InlineData("""{"alloc": {"mzfGvaLaW1wmVBWmxo5xs9eJ8aN6ZjdqTe": {"balance": 0.000000001}}}""", "balance")]
    [InlineData("""{"alloc": {"mzfGvaLaW1wmVBWmxo5xs9eJ8aN6ZjdqTe": {"balance": -1}}}""", "balance")]
    [InlineData("""{"alloc": {"mzfGvaLaW1wmVBWmxo5xs9eJ8aN6ZjdqTe": {}}}""", "balance")]
    [InlineData("""{"alloc": {"mzfGvaLaW1wmVBWmxo5xs9eJ8aN6ZjdqTe": {"balance": 1, "hatscore": 101}}}""", "hatscore")]
    [InlineData("""{"alloc": {"mzfGvaLaW1wmVBWmxo5xs9eJ8aN6ZjdqTe": {"balance": 84000000}, "0x0000000000000000000000000000000000000001": {"balance": 1}}}""", "more than")]
    public void Mistakes_are_named(string json, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(json));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
