using Cascoin.L2.Chain.Wallet;
using Cascoin.L2.Primitives;
using Cascoin.L2.Rpc.Modules.L2;

namespace Cascoin.L2.Rpc.Modules;

[RpcModule("wallet", MaxConcurrency = 8, TimeoutSeconds = 30)]
public interface IWalletRpc
{
    [RpcMethod("getnewaddress", "Returns a new address whose private key the node wallet keeps (the same key signs on L2 and L1).",
        Returns = "\"address\" (string) base58")]
    string GetNewAddress([RpcParam("ignored; accepted for bitcoind compatibility")] string? label = null);

    [RpcMethod("importprivkey", "Adds a private key (WIF) to the node wallet.", Returns = "null")]
    object? ImportPrivateKey(
        [RpcParam("the private key, WIF")] string privkey,
        [RpcParam("ignored; accepted for bitcoind compatibility")] string? label = null,
        [RpcParam("ignored: balances are account-based, there is nothing to rescan")] bool rescan = true);

    [RpcMethod("dumpprivkey", "Reveals the private key (WIF) of an address the wallet holds.", Returns = "\"key\" (string) WIF")]
    string DumpPrivateKey([RpcParam("the address")] string address);
}

public sealed class WalletRpcModule : IRpcModule, IWalletRpc
{
    private readonly KeyWallet _wallet;
    private readonly NetworkParameters _network;

    public WalletRpcModule(KeyWallet wallet, RpcNodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _wallet = wallet;
        _network = node.Network;
    }

    public string GetNewAddress(string? label = null) => _wallet.GetNewAddress().ToBase58(_network);

    public object? ImportPrivateKey(string privkey, string? label = null, bool rescan = true) =>
        _wallet.TryImport(privkey, out _) ? null : throw new RpcException(RpcErrorCode.InvalidAddressOrKey, "Invalid private key encoding");

    public string DumpPrivateKey(string address)
    {
        var owner = RpcArguments.Address(address, _network);
        return _wallet.DumpPrivateKey(owner) ?? throw new RpcException(RpcErrorCode.WalletError, $"Private key for address {address} is not known");
    }
}
