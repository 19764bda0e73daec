using System.Globalization;
using Cascoin.L2.Sequencing.Monitoring;
using Microsoft.Extensions.Logging;

namespace Cascoin.L2.Node.Monitoring;

/// <summary>
/// The RPC methods whose calls the audit log keeps: those that sign with the node's keys to move
/// funds or stake, that change the bridge, or that hand out a key. Relaying a transaction someone
/// else signed (sendrawtransaction, l2_sendrawtransaction) moves none of this node's funds and is not kept.
/// </summary>
public static class AuditedCalls
{
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal)
    {
        "sendtoaddress", "l2_sendtransaction", "l2_sendencryptedtransaction", "l2_deposit", "l2_withdraw", "l2_finalizewithdrawal",
        "l2_emergencywithdraw", "l2_stake", "l2_unstake", "l2_deploy", "l2_forceinclude", "l2_sendmessage", "l2_executemessage",
        "l2_setbridgepause", "l2_signbridgepause", "l2_importreputation", "l2_setanchoring", "setreputation", "importprivkey", "dumpprivkey",
    };

    public static bool MoveFunds(string method) => Methods.Contains(method);

    /// <summary>Keeps one call and its outcome; a write that fails (the node is closing its database) is logged, never the caller's error.</summary>
    public static void Record(AuditLog audit, string method, int? error, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(audit);
        try
        {
            audit.Record("rpc", method, error is { } code ? $"refused with error {code.ToString(CultureInfo.InvariantCulture)}" : "done");
        }
        catch (Exception ex) when (ex is ObjectDisposedException or RocksDbSharp.RocksDbException)
        {
            logger.LogError(ex, "The audit log could not record the call of {Method}", method);
        }
    }
}
