namespace Cascoin.L2.Functional.Tests;

/// <summary>The regtest development chain's account that its genesis funds (DevelopmentChain, README.md).</summary>
internal static class DevelopmentAccount
{
    public const string Wif = "cMv8SSgx12Pib8XcQw5t5vPQtfa3pvLRnfb2mLcDF7JQYC6rUfQm";

    public const string Address = "mzfGvaLaW1wmVBWmxo5xs9eJ8aN6ZjdqTe";
}
