using System.Globalization;
using Cascoin.L2.Chain.Transactions;
using Cascoin.L2.Crypto;
using Cascoin.L2.Primitives;

namespace Cascoin.L2.Cli;

/// <summary>
/// Transactions built and signed on this machine, with no node, printed as hex for
/// <c>l2_sendrawtransaction</c> on any node:
/// <list type="bullet">
/// <item><c>signtransaction</c>: a plain transfer signed with the key (doc/encodings.md);</item>
/// <item><c>sealtransaction</c>: an encrypted transfer (doc/encrypted-mempool.md): the inner transfer
/// (unsigned: the envelope's signature covers it) sealed to the epoch key that
/// <c>l2_getencryptionkey</c> reports, and the envelope signed with the key.</item>
/// </list>
/// </summary>
internal static class OfflineTransaction
{
    public const string SignCommand = "signtransaction";

    public const string SealCommand = "sealtransaction";

    public const string SignUsage = "signtransaction \"privatekey\" \"toaddress\" amount nonce chainid ( maxfeepergas maxpriorityfeepergas )";

    public const string SealUsage =
        "sealtransaction \"privatekey\" \"toaddress\" amount nonce chainid epoch \"epochkey\" ( maxfeepergas maxpriorityfeepergas )";

    private const ulong DefaultMaxFeePerGas = 100;

    /// <summary>Builds the transaction; its hex on <paramref name="output"/>, or an error on <paramref name="error"/>. Returns the exit code.</summary>
    public static int Run(string command, IReadOnlyList<string> arguments, NetworkParameters network, TextWriter output, TextWriter error)
    {
        var sealing = command == SealCommand;
        var fixedCount = sealing ? 7 : 5;
        if (arguments.Count < fixedCount || arguments.Count > fixedCount + 2)
        {
            error.WriteLine($"error: usage: cascoin-cli {(sealing ? SealUsage : SignUsage)}  (no node is asked: nonce from l2_gettransactioncount <address> pending"
                + (sealing ? ", epoch and key from l2_getencryptionkey)" : ", chainid from l2_getchaininfo)"));
            return 1;
        }
        if (!Wif.TryDecode(arguments[0], network, out var secret, out _) || PrivateKey.FromBytes(secret) is not { } key)
            return Fail(error, "privatekey is not a WIF key of this network");
        if (!Address.TryParse(arguments[1], network, out var to))
            return Fail(error, $"toaddress \"{arguments[1]}\" is not an address of this network");
        if (!Amount.TryParse(arguments[2], out var amount) || amount <= Amount.Zero)
            return Fail(error, $"amount \"{arguments[2]}\" is not a positive amount of CAS");
        if (Number(arguments[3]) is not { } nonce || Number(arguments[4]) is not { } chainId)
            return Fail(error, "nonce and chainid are whole numbers");
        var maxFee = arguments.Count > fixedCount ? Number(arguments[fixedCount]) : DefaultMaxFeePerGas;
        var tip = arguments.Count > fixedCount + 1 ? Number(arguments[fixedCount + 1]) : 1;
        if (maxFee is not { } fee || tip is not { } priority || priority > fee)
            return Fail(error, "maxfeepergas and maxpriorityfeepergas are whole numbers of sat per gas, the priority fee at most the max fee");
        var transfer = Transaction.CreateUnsigned(TransactionType.Transfer, chainId, nonce, to, amount, fee, priority, IntrinsicGas.Base);
        if (!sealing)
        {
            output.WriteLine(Convert.ToHexStringLower(Transaction.Sign(transfer, key).ToBytes()));
            return 0;
        }
        if (Number(arguments[5]) is not (> 0 and var epoch))
            return Fail(error, "epoch is a whole number from 1");
        byte[] epochKey;
        try
        {
            epochKey = Convert.FromHexString(arguments[6]);
        }
        catch (FormatException)
        {
            return Fail(error, "epochkey is the key's hex, as l2_getencryptionkey gives it");
        }
        Transaction envelope;
        try
        {
            envelope = Envelope.Seal(transfer, epoch, epochKey, fee, priority, key);
        }
        catch (ArgumentException)
        {
            return Fail(error, "epochkey is not a compressed secp256k1 point (33 bytes)");
        }
        output.WriteLine(Convert.ToHexStringLower(envelope.ToBytes()));
        return 0;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return 1;
    }

    private static ulong? Number(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
